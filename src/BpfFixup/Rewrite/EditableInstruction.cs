// SPDX-License-Identifier: MIT
using BpfFixup.Isa;

namespace BpfFixup.Rewrite;

/// <summary>
/// One instruction of the editable program (cilium/ebpf's <c>asm.Instruction</c> with its <c>Metadata</c>, PREVAIL's
/// labelled instruction): its origin, and its jump or call target as a reference to the instruction it reaches (an
/// index into a section's list), not an offset. A struct kept in an array (<see cref="EditableSection"/>): 36 bytes
/// per instruction and nothing for the collector to trace, where an object per instruction was about 100 bytes.
/// <see cref="EditableSection.Layout"/> gives it its slot; the offsets and immediates that encode a position are
/// derived from the references after that (<c>ObjectRewriter</c>). Its relocation is the one of its original
/// instruction (<see cref="EditableSection.RelocationAt"/>); instructions of inline sequences carry none.
/// </summary>
internal struct EditableInstruction
{
    /// <summary>No target (<see cref="Target"/>), no origin (<see cref="Origin"/>).</summary>
    public const int None = -1;

    // Set in TargetSection when the target is in a specialised function's copy.
    private const int TargetInCopyBit = 1 << 30;

    /// <summary>The instruction; its position-encoded fields are rewritten by the encoding pass.</summary>
    public Instruction Insn;

    /// <summary>The original instruction index and whether it is in a copy (<see cref="InstructionMap.Encode"/>), or <see cref="None"/>.</summary>
    public int Origin;

    /// <summary>First slot in the output section; set by <see cref="EditableSection.Layout"/>.</summary>
    public int Slot;

    /// <summary>
    /// The index, in the list of section <see cref="TargetSectionOrdinal"/>, of what a carried-over jump lands on (the
    /// kernel's <c>bpf_adj_branches</c>: a replaced call's first inline instruction), or of the first instruction of
    /// the function instance a bpf-to-bpf call or a callback's ld_imm64 reaches; <see cref="None"/> for any other instruction.
    /// </summary>
    public int Target;

    private int targetSection;

    /// <summary>An instruction made from original instruction <paramref name="oldInsn"/> (of a copy when <paramref name="inCopy"/>), or of an inline sequence (-1).</summary>
    public EditableInstruction(Instruction insn, int oldInsn, bool inCopy)
    {
        Insn = insn;
        Origin = InstructionMap.Encode(oldInsn, inCopy);
        Target = None;
    }

    /// <summary>The original instruction index, or -1 for an instruction of an inline sequence.</summary>
    public readonly int OldInsn => InstructionMap.OldInsnOf(Origin);

    /// <summary>True when the instruction belongs to a specialised function's fsession copy.</summary>
    public readonly bool InCopy => InstructionMap.InCopyOf(Origin);

    /// <summary>The ordinal (in <c>BpfObject.CodeSections</c>) of the section <see cref="Target"/> is in.</summary>
    public readonly int TargetSectionOrdinal => targetSection & ~TargetInCopyBit;

    /// <summary>True when <see cref="Target"/> is in the fsession copy of the function it reaches.</summary>
    public readonly bool TargetInCopy => (targetSection & TargetInCopyBit) != 0;

    /// <summary>Points the instruction at <paramref name="index"/> of section <paramref name="ordinal"/>.</summary>
    public void SetTarget(int ordinal, int index, bool inCopy)
    {
        Target = index;
        targetSection = ordinal | (inCopy ? TargetInCopyBit : 0);
    }
}
