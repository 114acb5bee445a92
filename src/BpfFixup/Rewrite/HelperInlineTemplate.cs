// SPDX-License-Identifier: MIT
using BpfFixup.Isa;
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>For which expected attach types of a BPF_PROG_TYPE_TRACING program a helper inline applies.</summary>
public enum HelperInlineWhen : byte
{
    /// <summary>Every tracing program.</summary>
    Always,

    /// <summary>Every tracing program but BPF_TRACE_RAW_TP (tp_btf), whose form needs the tracepoint's BTF.</summary>
    NotRawTp,

    /// <summary>
    /// BPF_TRACE_RAW_TP (tp_btf) only: the first instruction is <c>r0 = nr_args - 1</c> of the tracepoint's prototype
    /// in the kernel's BTF (<see cref="HelperInlineTemplate.ForTracepoint"/>); without that BTF the call is kept.
    /// </summary>
    RawTp,

    /// <summary>A program with a return value in the trampoline's frame: fexit, fmod_ret, fsession and their .multi forms.</summary>
    WithReturnValue,

    /// <summary>Every other tracing program (the else branch of do_misc_fixups' test, tp_btf included).</summary>
    WithoutReturnValue,
}

/// <summary>
/// The instruction sequence that replaces one helper call in a tracing program (do_misc_fixups in
/// kernel/bpf/verifier.c), with the attach types it applies to and where it comes from.
/// </summary>
/// <param name="HelperId">The helper's number (enum bpf_func_id, include/uapi/linux/bpf.h).</param>
/// <param name="Helper">The helper's name.</param>
/// <param name="When">The attach types the sequence is for.</param>
/// <param name="Instructions">The replacement, in order.</param>
/// <param name="Source">The kernel source the sequence follows.</param>
public sealed record HelperInlineTemplate(int HelperId, string Helper, HelperInlineWhen When, IReadOnlyList<Instruction> Instructions, string Source)
{
    /// <summary>
    /// True when the template applies to a tracing program of <paramref name="attach"/>. The program types with a
    /// return value follow do_misc_fixups' <c>eatype == BPF_TRACE_FEXIT || eatype == BPF_TRACE_FSESSION || eatype ==
    /// BPF_MODIFY_RETURN</c>; Linux 7.2 inlines the same 7 instructions for BPF_TRACE_FEXIT_MULTI and
    /// BPF_TRACE_FSESSION_MULTI, and <c>r0 = -EOPNOTSUPP</c> for BPF_TRACE_FENTRY_MULTI (seen in its xlated stream).
    /// </summary>
    public bool AppliesTo(AttachType? attach)
    {
        bool rawTp = attach == AttachType.TraceRawTp;
        bool withReturn = attach is AttachType.TraceFexit or AttachType.ModifyReturn or AttachType.TraceFsession
            or AttachType.TraceFexitMulti or AttachType.TraceFsessionMulti;
        return When switch
        {
            HelperInlineWhen.Always => true,
            HelperInlineWhen.NotRawTp => !rawTp,
            HelperInlineWhen.RawTp => rawTp,
            HelperInlineWhen.WithReturnValue => withReturn,
            _ => !withReturn,
        };
    }

    /// <summary>
    /// A <see cref="HelperInlineWhen.RawTp"/> template made concrete for a tracepoint of <paramref name="args"/>
    /// arguments (its prototype's, less the leading <c>void *__data</c>): do_misc_fixups'
    /// <c>insn_buf[0] = BPF_MOV64_IMM(BPF_REG_0, nr_args - 1)</c>.
    /// </summary>
    public HelperInlineTemplate ForTracepoint(int args) =>
        When != HelperInlineWhen.RawTp ? this : this with { Instructions = [Instruction.Alu64Imm(Opcodes.Mov, 0, args), .. Instructions.Skip(1)] };

    /// <summary>True when <paramref name="other"/> replaces the same helper with the same instructions.</summary>
    public bool SameSequence(HelperInlineTemplate other) =>
        other is not null && other.HelperId == HelperId && other.Instructions.SequenceEqual(Instructions);
}
