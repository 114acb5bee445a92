// SPDX-License-Identifier: MIT
using BpfFixup.Isa;

namespace BpfFixup.Rendering;

/// <summary>
/// Names call targets and ld_imm64 values for <see cref="XlatedInstructionFormatter"/>, the role of
/// <c>struct bpf_insn_cbs</c> (<c>cb_call</c>, <c>cb_imm</c>) in kernel/bpf/disasm.h. Every method may return null
/// to keep the kernel's default text.
/// </summary>
public interface IXlatedSymbolResolver
{
    /// <summary>
    /// The name of helper <paramref name="helperId"/> when <see cref="HelperIds"/> does not know it
    /// (disasm.c <c>__func_get_name</c> consults its own table first). Printed as <c>call name#id</c>.
    /// </summary>
    string? HelperName(int helperId);

    /// <summary>
    /// The name of the kfunc called by <paramref name="insn"/>: for src_reg 2 (BPF_PSEUDO_KFUNC_CALL), and for
    /// src_reg 1 when the caller knows from a relocation that the call is an extern kfunc. Printed as
    /// <c>call name#imm</c>; null keeps <c>call kernel-function#imm</c> (src 2) or the pseudo-call form (src 1).
    /// </summary>
    string? KfuncName(in Instruction insn);

    /// <summary>
    /// The text after <c>call pc</c> for a bpf-to-bpf call (src_reg 1), e.g. <c>+5#my_subprog</c>;
    /// null keeps disasm.c's <c>%+d</c> of imm.
    /// </summary>
    string? PseudoCallTarget(in Instruction insn);

    /// <summary>
    /// The text after <c>rN = </c> for an ld_imm64 (disasm.c <c>cb_imm</c>), e.g. bpftool's <c>map[id:5]</c> or
    /// <c>subprog[+5]</c> for src_reg 4 (BPF_PSEUDO_FUNC); null keeps <c>0x%llx</c> of the 64-bit value.
    /// </summary>
    string? Imm64Text(in Instruction insn);
}
