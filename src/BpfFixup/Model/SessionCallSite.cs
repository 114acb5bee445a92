// SPDX-License-Identifier: MIT
namespace BpfFixup.Model;

/// <summary>
/// A call to a session kfunc, recognised by its R_BPF_64_32 relocation against the undefined symbol
/// (clang emits <c>call -1</c> with src 1, the same bytes as a global subprogram call, as llvm-objdump-19 -dr shows; libbpf's bpf_program__record_reloc tells them apart by the symbol).
/// </summary>
/// <param name="Section">The code section.</param>
/// <param name="Insn">The instruction index of the call.</param>
/// <param name="Kfunc">Which kfunc.</param>
/// <remarks>
/// A 16-byte value held inline in <see cref="BpfObject.SessionCallSites"/>, not an object per site (issue 11's memory
/// bound: 98,342 sites of a 9.4 MB object were 4.9 MB as objects, 1.6 MB as values); the relocation that names the
/// kfunc is the instruction's own (<see cref="CodeSection.Relocations"/>), not kept twice.
/// </remarks>
public readonly record struct SessionCallSite(CodeSection Section, int Insn, SessionKfunc Kfunc)
{
    /// <summary>The function holding the call.</summary>
    public BpfFunction Function => Section.FunctionAt(Insn);

    /// <summary>The call's slot.</summary>
    public int Slot => Section.Slots[Insn];
}
