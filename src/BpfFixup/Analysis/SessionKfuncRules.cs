// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>
/// The kernel's acceptance rules for the session kfuncs (kernel/trace/bpf_trace.c, kernel/bpf/verifier.c): which programs may call them
/// (<c>bpf_session_filter</c>), what R1 must hold (<c>KF_ARG_PTR_TO_CTX</c>), and what the fixup does.
/// </summary>
public static class SessionKfuncRules
{
    /// <summary>
    /// <c>bpf_session_filter</c>: kprobe.session and uprobe.session (BPF_PROG_TYPE_KPROBE) and fsession
    /// (BPF_PROG_TYPE_TRACING + BPF_TRACE_FSESSION, and in Linux 7.2 BPF_TRACE_FSESSION_MULTI) programs only.
    /// </summary>
    public static bool MayCall(SectionDef? def) => def is not null && (
        (def.ProgramType == ProgramType.Tracing && def.AttachType is AttachType.TraceFsession or AttachType.TraceFsessionMulti) ||
        (def.ProgramType == ProgramType.Kprobe && def.AttachType is AttachType.TraceKprobeSession or AttachType.TraceUprobeSession));

    /// <summary>
    /// <c>fixup_kfunc_call</c> inlines only when <c>expected_attach_type == BPF_TRACE_FSESSION</c> (kernel/bpf/verifier.c).
    /// </summary>
    /// <remarks>
    /// Linux 7.2 inlines the calls of <c>fsession.multi</c> programs (BPF_TRACE_FSESSION_MULTI) with the same bytes
    /// (seen by the kernel tier, tests/BpfFixup.Tests/Kernel), so they are inlined here too.
    /// </remarks>
    public static bool Inlines(SectionDef? def) => def?.AttachType is AttachType.TraceFsession or AttachType.TraceFsessionMulti;

    /// <summary>
    /// Judges one call for one program. Returns the action and, for a rejection, the diagnostic id and the
    /// kernel's message in the order the verifier checks: the kfunc filter (<c>check_kfunc_call</c>), R1 read
    /// (<c>check_reg_arg</c>), the offset (<c>check_func_arg_reg_off</c>), then the type (<c>check_kfunc_args</c>).
    /// </summary>
    public static (SiteAction Action, string? Id, string Message) Judge(SectionDef? def, SessionKfunc kfunc, RegValue r1)
    {
        string name = SessionKfuncs.NameOf(kfunc);
        if (!MayCall(def))
        {
            return (SiteAction.Reject, DiagnosticIds.KfuncNotAllowed, $"calling kernel function {name} is not allowed");
        }

        if ((r1.Types & RegTypes.NotInit) != 0)
        {
            return (SiteAction.Reject, DiagnosticIds.CtxNotInitialised, "R1 !read_ok");
        }

        if ((r1.Types & RegTypes.Ctx) != 0 && r1.CtxVarOffset)
        {
            return (SiteAction.Reject, DiagnosticIds.ModifiedCtx, "variable ctx access var_off=(0x0; 0xffffffffffffffff) disallowed");
        }

        if ((r1.Types & RegTypes.Ctx) != 0 && r1.CtxOffset != 0)
        {
            return (SiteAction.Reject, DiagnosticIds.ModifiedCtx, $"dereference of modified ctx ptr R1 off={r1.CtxOffset} disallowed");
        }

        if (r1.Types != RegTypes.Ctx)
        {
            // check_kfunc_args, case KF_ARG_PTR_TO_CTX. Linux 7.2 names the register ("R1 expected pointer to ctx,
            // but got fp", seen by the kernel tier, tests/BpfFixup.Tests/Kernel); the 7.0 series printed the argument ("arg#0 ...").
            // 7.2 wins. The type word is reg_type_str's.
            return (SiteAction.Reject, DiagnosticIds.ArgNotCtx, $"R1 expected pointer to ctx, but got {r1.KernelTypeName(RegTypes.Ctx)}");
        }

        return Inlines(def)
            ? (SiteAction.Inline, null, "fsession: inlined by the kernel's fixup_kfunc_call")
            : (SiteAction.Keep, null, $"{def!.AttachTypeName}: the kernel keeps the call");
    }
}
