// SPDX-License-Identifier: MIT
namespace BpfFixup.Rewrite;

/// <summary>
/// One instruction of the editable program (cilium/ebpf's <c>asm.Instruction</c> with its <c>Metadata</c>, PREVAIL's
/// labelled instruction): its origin, and its jump or call target as a reference to the instruction it reaches (an
/// index into a section's list), not an offset. A 16-byte struct kept in an array (<see cref="EditableSection"/>),
/// with nothing for the collector to trace (an object per instruction was about 100 bytes): the instruction itself is
/// not copied but read where it is, from the input's decoded instruction or from the inline sequence it belongs to,
/// with the one field that encodes a position replaced once the encoding pass has derived it
/// (<see cref="EditableSection.InstructionAt"/>). <see cref="EditableSection.Layout"/> gives it its slot. Its
/// relocation is the one of its original instruction (<see cref="EditableSection.RelocationAt"/>); instructions of
/// inline sequences carry none.
/// </summary>
internal struct EditableInstruction
{
    /// <summary>No target, no origin.</summary>
    public const int None = -1;

    // In `aux` of an instruction with an origin: the target section's ordinal, and these flags.
    private const int TargetInCopyBit = 1 << 30;
    private const int HasTargetBit = 1 << 29;
    private const int EncodedBit = 1 << 28;
    private const int OrdinalMask = EncodedBit - 1;

    /// <summary>The original instruction index and whether it is in a copy (<see cref="InstructionMap.Encode"/>), or <see cref="None"/>.</summary>
    public int Origin;

    // With an origin: the target's index (label) in its section, then, once encoded, the derived jump distance or
    // immediate. Without: the instruction's index in its inline sequence.
    private int value;

    // With an origin: the target section's ordinal and the flags above. Without: the inline sequence's id.
    private int aux;

    /// <summary>An instruction carried over from original instruction <paramref name="oldInsn"/> (of a copy when <paramref name="inCopy"/>).</summary>
    public static EditableInstruction Carried(int oldInsn, bool inCopy) => new() { Origin = InstructionMap.Encode(oldInsn, inCopy), value = None };

    /// <summary>Instruction <paramref name="index"/> of inline sequence <paramref name="sequence"/> (an id of <see cref="InlineSequences"/>).</summary>
    public static EditableInstruction Inserted(int sequence, int index) => new() { Origin = None, value = index, aux = sequence };

    /// <summary>The original instruction index, or -1 for an instruction of an inline sequence.</summary>
    public readonly int OldInsn => InstructionMap.OldInsnOf(Origin);

    /// <summary>True when the instruction belongs to a specialised function's fsession copy.</summary>
    public readonly bool InCopy => InstructionMap.InCopyOf(Origin);

    /// <summary>True for an instruction of an inline sequence.</summary>
    public readonly bool IsInserted => Origin < 0;

    /// <summary>The inline sequence an inserted instruction belongs to, and its index there.</summary>
    public readonly (int Sequence, int Index) SequencePosition => (aux, value);

    /// <summary>True when a carried-over instruction has a target whose position is still to be encoded.</summary>
    public readonly bool HasTarget => Origin >= 0 && (aux & HasTargetBit) != 0 && (aux & EncodedBit) == 0;

    /// <summary>
    /// The index, in the list of section <see cref="TargetSectionOrdinal"/>, of what a carried-over jump lands on (the
    /// kernel's <c>bpf_adj_branches</c>: a replaced call's first inline instruction), or of the first instruction of
    /// the function instance a bpf-to-bpf call or a callback's ld_imm64 reaches. Valid while <see cref="HasTarget"/>.
    /// </summary>
    public readonly int Target => value;

    /// <summary>The ordinal (in <c>BpfObject.CodeSections</c>) of the section <see cref="Target"/> is in.</summary>
    public readonly int TargetSectionOrdinal => aux & OrdinalMask;

    /// <summary>True when <see cref="Target"/> is in the fsession copy of the function it reaches.</summary>
    public readonly bool TargetInCopy => (aux & TargetInCopyBit) != 0;

    /// <summary>True when <see cref="EncodedValue"/> replaces the original instruction's position-encoded field.</summary>
    public readonly bool IsEncoded => Origin >= 0 && (aux & EncodedBit) != 0;

    /// <summary>The jump distance (jumps) or immediate (calls, ld_imm64) derived from the layout; valid when <see cref="IsEncoded"/>.</summary>
    public readonly int EncodedValue => value;

    /// <summary>Points the instruction at <paramref name="index"/> of section <paramref name="ordinal"/>.</summary>
    public void SetTarget(int ordinal, int index, bool inCopy)
    {
        value = index;
        aux = ordinal | HasTargetBit | (inCopy ? TargetInCopyBit : 0);
    }

    /// <summary>Replaces the target by the field value derived from it (the target is not needed after the encoding pass).</summary>
    public void SetEncoded(int encoded)
    {
        value = encoded;
        aux |= EncodedBit;
    }
}
