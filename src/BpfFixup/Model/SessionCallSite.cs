// SPDX-License-Identifier: MIT
namespace BpfFixup.Model;

/// <summary>
/// A call to a session kfunc, recognised by its R_BPF_64_32 relocation against the undefined symbol
/// (clang emits <c>call -1</c> with src 1, the same bytes as a global subprogram call, as llvm-objdump-19 -dr shows; libbpf's bpf_program__record_reloc tells them apart by the symbol).
/// </summary>
/// <param name="Section">The code section.</param>
/// <param name="Insn">The instruction index of the call.</param>
/// <param name="Kfunc">Which kfunc.</param>
/// <param name="Relocation">The relocation naming it.</param>
public sealed record SessionCallSite(CodeSection Section, int Insn, SessionKfunc Kfunc, ObjectRelocation Relocation)
{
    /// <summary>The function holding the call.</summary>
    public BpfFunction Function => Section.FunctionAt(Insn);

    /// <summary>The call's slot.</summary>
    public int Slot => Section.Slots[Insn];
}
