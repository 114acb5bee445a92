// SPDX-License-Identifier: MIT
namespace BpfFixup.Rewrite;

/// <summary>
/// One instruction of the editable program (cilium/ebpf's <c>asm.Instruction</c> with its <c>Metadata</c>, PREVAIL's
/// labelled instruction): its origin, and its jump or call target as a reference to the instruction it reaches (an
/// index into a section's list), not an offset. An 8-byte struct kept in an array (<see cref="EditableSection"/>),
/// with nothing for the collector to trace (an object per instruction was about 100 bytes): the instruction itself is
/// not copied but read where it is, from the input's bytes or from the inline sequence it belongs to, with the one
/// field that encodes a position replaced once the encoding pass has derived it
/// (<see cref="EditableSection.WriteTo"/>). What does not fit in 8 bytes is the section's: whether the
/// instruction is in a specialised function's copy (<see cref="EditableSection.InCopyAt"/>: the copies follow the
/// original code) and, for a call or a callback's ld_imm64, the section and instance its target is in
/// (<see cref="EditableSection.CallTargetOf"/>; a jump's target is in its own section and instance).
/// <see cref="EditableSection.Layout"/> gives it its slot. Its relocation is the one of its original instruction
/// (<see cref="EditableSection.RelocationAt"/>); instructions of inline sequences carry none.
/// </summary>
internal struct EditableInstruction
{
    // In `origin` of an instruction carried over: the original instruction index in bits 0-28 (a section holds at
    // most 2^29 slots, InstructionMap), and these flags. Of an inserted one: the complement of its sequence's id.
    private const int HasTargetBit = 1 << 29;
    private const int EncodedBit = 1 << 30;
    private const int InsnMask = HasTargetBit - 1;

    private int origin;

    // Carried over: the target's index (label) in its section, then, once encoded, the derived jump distance or
    // immediate. Inserted: the instruction's index in its inline sequence.
    private int value;

    /// <summary>An instruction carried over from original instruction <paramref name="oldInsn"/>.</summary>
    public static EditableInstruction Carried(int oldInsn) => new() { origin = oldInsn, value = -1 };

    /// <summary>Instruction <paramref name="index"/> of inline sequence <paramref name="sequence"/> (an id of <see cref="InlineSequences"/>).</summary>
    public static EditableInstruction Inserted(int sequence, int index) => new() { origin = ~sequence, value = index };

    /// <summary>The original instruction index, or -1 for an instruction of an inline sequence.</summary>
    public readonly int OldInsn => origin < 0 ? -1 : origin & InsnMask;

    /// <summary>True for an instruction of an inline sequence.</summary>
    public readonly bool IsInserted => origin < 0;

    /// <summary>The inline sequence an inserted instruction belongs to, and its index there.</summary>
    public readonly (int Sequence, int Index) SequencePosition => (~origin, value);

    /// <summary>True when a carried-over instruction has a target whose position is still to be encoded.</summary>
    public readonly bool HasTarget => origin >= 0 && (origin & (HasTargetBit | EncodedBit)) == HasTargetBit;

    /// <summary>
    /// The index of what a carried-over jump lands on (the kernel's <c>bpf_adj_branches</c>: a replaced call's first
    /// inline instruction), or of the first instruction of the function instance a bpf-to-bpf call or a callback's
    /// ld_imm64 reaches (in the section <see cref="EditableSection.CallTargetOf"/> names). Valid while <see cref="HasTarget"/>.
    /// </summary>
    public readonly int Target => value;

    /// <summary>True when <see cref="EncodedValue"/> replaces the original instruction's position-encoded field.</summary>
    public readonly bool IsEncoded => origin >= 0 && (origin & EncodedBit) != 0;

    /// <summary>The jump distance (jumps) or immediate (calls, ld_imm64) derived from the layout; valid when <see cref="IsEncoded"/>.</summary>
    public readonly int EncodedValue => value;

    /// <summary>Points the instruction at index <paramref name="index"/> (of its own section, or of the one its call target names).</summary>
    public void SetTarget(int index)
    {
        value = index;
        origin = (origin & InsnMask) | HasTargetBit;
    }

    /// <summary>Replaces the target by the field value derived from it (the target is not needed after the encoding pass).</summary>
    public void SetEncoded(int encoded)
    {
        value = encoded;
        origin |= EncodedBit;
    }
}
