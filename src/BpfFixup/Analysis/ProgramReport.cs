// SPDX-License-Identifier: MIT
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>Per-program findings: its type, every session call site it reaches with the verdict, cookie use.</summary>
public sealed record ProgramReport
{
    /// <summary>The program's entry function.</summary>
    public required BpfFunction Program { get; init; }

    /// <summary>libbpf's definition for the program's section, or null when libbpf would not know it.</summary>
    public required SectionDef? Definition { get; init; }

    /// <summary>Functions reached from the program (itself first).</summary>
    public required IReadOnlyList<BpfFunction> Reachable { get; init; }

    /// <summary>Verdicts for the session-kfunc calls this program reaches.</summary>
    public required IReadOnlyList<CallSiteVerdict> Sites { get; init; }

    /// <summary>The kernel's <c>call_session_cookie</c>: the program calls bpf_session_cookie and it is inlined.</summary>
    public bool UsesCookie => Sites is CallSiteVerdicts v ? v.UsesCookie() : Sites.Any(s => s.Site.Kfunc == SessionKfunc.Cookie && s.Action != SiteAction.Reject);

    /// <summary>True for BPF_TRACE_FSESSION programs.</summary>
    public bool IsFsession => Definition?.AttachType == AttachType.TraceFsession;

    /// <summary>The attach type in libbpf's spelling, or <c>unknown</c>.</summary>
    public string AttachTypeName => Definition?.AttachTypeName ?? "unknown";
}
