// SPDX-License-Identifier: MIT
namespace BpfFixup.Model;

/// <summary>The two session kfuncs (kernel/trace/bpf_trace.c), inlined for fsession by fixup_kfunc_call (kernel/bpf/verifier.c).</summary>
public enum SessionKfunc : byte
{
    /// <summary><c>bool bpf_session_is_return(void *ctx)</c>.</summary>
    IsReturn = 1,

    /// <summary><c>__u64 *bpf_session_cookie(void *ctx)</c>.</summary>
    Cookie = 2,
}

/// <summary>Names of the session kfuncs.</summary>
public static class SessionKfuncs
{
    /// <summary>The kernel's name of the kfunc.</summary>
    public static string NameOf(SessionKfunc k) => k == SessionKfunc.Cookie ? "bpf_session_cookie" : "bpf_session_is_return";

    /// <summary>Parses a symbol name into a session kfunc.</summary>
    public static SessionKfunc? FromName(string name) => name switch
    {
        "bpf_session_cookie" => SessionKfunc.Cookie,
        "bpf_session_is_return" => SessionKfunc.IsReturn,
        _ => null,
    };
}
