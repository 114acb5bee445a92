// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>
/// A code section as an editable list of <see cref="EditableInstruction"/>s (one array of structs) with labels: for
/// each original instruction (and for each instruction of a specialised function's copy) the index of the first
/// output instruction made from it. A label is an index, so the index <see cref="Count"/> stands for the position
/// just past the last instruction. Built once in linear time; <see cref="Layout"/> is the one pass that gives every
/// instruction its slot (the kernel patches one site at a time, O(sites x length); kernel/bpf/verifier.c
/// bpf_patch_insn_data).
/// </summary>
internal sealed class EditableSection
{
    private readonly int[] originals;
    private Dictionary<BpfFunction, int[]>? copies; // made for the first copy: most sections have none
    private readonly List<int> relocated = [];
    private readonly InlineSequences sequences;
    private EditableInstruction[] items;
    private Dictionary<int, int>? retargeted;
    private BpfFunction? copying;
    private int[] symbolIndices = [];
    private (int Start, int End)[] symbolLabels = [];
    private int[]? copyLabels;
    private InstructionSlots? slots; // after Layout: the first slot of each output instruction
    private int count;
    private int copyStart = int.MaxValue; // the first instruction of the copies (they follow the original code)
    private Dictionary<int, (int Ordinal, bool InCopy)>? callTargets; // by instruction: where a call's target is
    private int relocationCursor; // Carry's position in Section.Relocations

    /// <summary>An empty list for <paramref name="section"/>, with room for <paramref name="capacity"/> instructions.</summary>
    /// <remarks>A capacity that holds the whole output spares the doubling of the array (and the two arrays live while it is copied).</remarks>
    public EditableSection(CodeSection section, int ordinal, int capacity, InlineSequences sequences)
    {
        this.sequences = sequences;
        Section = section;
        Ordinal = ordinal;
        // Neither is read before it is written (Build marks every original instruction and the end; items past Count
        // are never read): not zeroed, which for a 1.6M-slot object was 24 MB of memset before the first write.
        originals = GC.AllocateUninitializedArray<int>(section.Instructions.Length + 1);
        items = GC.AllocateUninitializedArray<EditableInstruction>(Math.Max(capacity, 4));
    }

    public CodeSection Section { get; }

    /// <summary>The section's position in <c>BpfObject.CodeSections</c> (what <see cref="CallTargetOf"/> names).</summary>
    public int Ordinal { get; }

    /// <summary>The number of output instructions; as a label, the position just past the last one.</summary>
    public int Count => count;

    /// <summary>Output instruction <paramref name="index"/>, to read or edit in place.</summary>
    public ref EditableInstruction this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)count);
            return ref items[index];
        }
    }

    /// <summary>
    /// Writes the laid-out section into <paramref name="destination"/> (<see cref="SlotCount"/> slots): a carried-over
    /// instruction is its input bytes, with the one field the encoding pass derived written over them (jump <c>off</c>,
    /// or <c>imm</c> for <c>gotol</c>, calls and ld_imm64; RFC 9669 §3: <c>off</c> in bytes 2-3, <c>imm</c> in bytes 4-7,
    /// in the object's byte order): what decoding it, replacing that field and encoding it again gives, as the decoder
    /// keeps every bit, without doing so for every instruction; an inserted one is its sequence's encoding.
    /// </summary>
    /// <remarks>
    /// Copied a run at a time: a run of carried-over instructions that follow each other in the input is one block of
    /// input bytes (their slots are contiguous there and here), and consecutive instructions of one inline sequence
    /// are one block of its encoding; the derived fields are then written over the block. A copy per instruction was
    /// 5 % of <c>patch</c> on a 1.6M-slot object.
    /// </remarks>
    public void WriteTo(Span<byte> destination, ByteOrder order)
    {
        const int size = InstructionDecoder.SlotSize;
        var input = Section.Elf.Memory.Span;
        var original = Section.Slots;
        int at = 0;
        for (int k = 0; k < count;)
        {
            ref readonly var o = ref items[k];
            int end = k + 1;
            if (o.IsInserted)
            {
                var (sequence, index) = o.SequencePosition;
                while (end < count && items[end].IsInserted && items[end].SequencePosition == (sequence, index + (end - k)))
                {
                    end++;
                }

                var encoded = sequences.Encoded(sequence, index, end - k, order);
                encoded.CopyTo(destination[at..]);
                at += encoded.Length;
                k = end;
                continue;
            }

            int first = o.OldInsn;
            while (end < count && !items[end].IsInserted && items[end].OldInsn == first + (end - k))
            {
                end++;
            }

            // The input slots of old instructions first .. last (exclusive): the section's slot count past its last one.
            int last = first + (end - k);
            int from = original[first] * size;
            int to = (last < original.Count ? original[last] : Section.SlotCount) * size;
            input[from..to].CopyTo(destination[at..]);
            for (int j = k; j < end; j++)
            {
                ref readonly var c = ref items[j];
                if (c.IsEncoded)
                {
                    WriteEncoded(destination[(at + ((original[c.OldInsn] * size) - from))..], c, order);
                }
            }

            at += to - from;
            k = end;
        }
    }

    /// <summary>Writes the field carried-over instruction <paramref name="o"/> derived over its bytes at the start of <paramref name="slots"/>.</summary>
    private void WriteEncoded(Span<byte> slots, in EditableInstruction o, ByteOrder order)
    {
        var kind = Section.Kinds[o.OldInsn];
        if (kind.IsJump() && kind != InstructionKind.GotoLong)
        {
            short offset = checked((short)o.EncodedValue);
            if (order == ByteOrder.Little) { BinaryPrimitives.WriteInt16LittleEndian(slots[2..], offset); } else { BinaryPrimitives.WriteInt16BigEndian(slots[2..], offset); }
        }
        else if (order == ByteOrder.Little)
        {
            BinaryPrimitives.WriteInt32LittleEndian(slots[4..], o.EncodedValue);
        }
        else
        {
            BinaryPrimitives.WriteInt32BigEndian(slots[4..], o.EncodedValue);
        }
    }

    /// <summary>True when output instruction <paramref name="index"/> belongs to a specialised function's fsession copy.</summary>
    public bool InCopyAt(int index) => index >= copyStart;

    /// <summary>
    /// Points call or callback instruction <paramref name="index"/> at instruction <paramref name="target"/> of section
    /// <paramref name="ordinal"/>, in a function's copy when <paramref name="inCopy"/>.
    /// </summary>
    public void SetCallTarget(int index, int ordinal, int target, bool inCopy)
    {
        this[index].SetTarget(target);
        (callTargets ??= [])[index] = (ordinal, inCopy);
    }

    /// <summary>
    /// The ordinal (in <c>BpfObject.CodeSections</c>) of the section the target of call or callback instruction
    /// <paramref name="index"/> is in, and whether it is in the fsession copy of the function it reaches.
    /// </summary>
    public (int Ordinal, bool InCopy) CallTargetOf(int index) =>
        callTargets is not null && callTargets.TryGetValue(index, out var t) ? t : throw new InvalidOperationException("an instruction without a call target (internal error)");

    /// <summary>The indices of the output instructions that carry a relocation, in order.</summary>
    public ReadOnlySpan<int> Relocated => CollectionsMarshal.AsSpan(relocated);

    /// <summary>The number of slots after <see cref="Layout"/>.</summary>
    public int SlotCount { get; private set; }

    public bool Changed { get; set; }

    /// <summary>The first slot of output instruction (label) <paramref name="index"/>; <see cref="Count"/> gives <see cref="SlotCount"/>.</summary>
    public int SlotOf(int index) =>
        index == count ? SlotCount : (slots ?? throw new InvalidOperationException("the section is not laid out yet"))[index];

    /// <summary>The byte offset of label <paramref name="index"/> in the output section (RFC 9669 §5.4: 8-byte slots).</summary>
    public ulong ByteOffsetOf(int index) => (ulong)SlotOf(index) * 8;

    /// <summary>The output instruction that original instruction <paramref name="oldInsn"/> of <paramref name="instance"/> starts at.</summary>
    /// <remarks>For the original instance, <c>oldInsn == Instructions.Length</c> is the end of the original code (the first
    /// copy, or <see cref="Count"/>); for a copy, the function's end is the end of the copy.</remarks>
    public int LabelOf(FunctionInstance instance, int oldInsn) =>
        instance.IsCopy ? copies![instance.Function][oldInsn - instance.Function.StartInsn] : originals[oldInsn];

    /// <summary>The output instruction that original instruction <paramref name="oldInsn"/> starts at (its original instance).</summary>
    public int OriginalAt(int oldInsn) => originals[oldInsn];

    /// <summary>
    /// The original instruction at byte offset <paramref name="bytes"/> of the input section (its end: the instruction
    /// count), or -1 when no instruction starts there: the one place the rewrite turns an input byte offset (st_value,
    /// insn_off) into an instruction (RFC 9669 §5.4: 8-byte slots).
    /// </summary>
    public int OldInsnAtByte(ulong bytes) => bytes % 8 != 0 || bytes / 8 > (ulong)Section.SlotCount ? -1 : Section.InsnAtSlot((long)(bytes / 8));

    /// <summary>
    /// Attaches the section's symbols to their instructions, once the list is built: each symbol's st_value and
    /// st_value + st_size (when it has a size) become labels, so that their output values come from the layout.
    /// </summary>
    public void AttachSymbols(BpfObject obj)
    {
        var inSection = obj.SymbolsInSection(Section.Elf.Index);
        symbolIndices = [.. inSection];
        symbolLabels = new (int, int)[symbolIndices.Length];
        for (int k = 0; k < symbolIndices.Length; k++)
        {
            var sym = obj.Elf.Symbols[symbolIndices[k]];
            int start = -1, end = -1;
            if (sym.HasSection && sym.Type != ElfConstants.SttSection && OldInsnAtByte(sym.Value) is var insn && insn >= 0)
            {
                start = originals[insn];
                end = sym.Size > 0 && OldInsnAtByte(sym.Value + sym.Size) is var last && last >= 0 ? originals[last] : -1;
            }

            symbolLabels[k] = (start, end);
        }
    }

    /// <summary>
    /// The output st_value and st_size of symbol <paramref name="symbolIndex"/> (one of this section's), or null when
    /// its value does not move with an instruction (a section symbol, or an offset no instruction starts at); the
    /// size stays <paramref name="size"/> when its end is not at an instruction.
    /// </summary>
    public (ulong Value, ulong Size)? SymbolAfterLayout(int symbolIndex, ulong size)
    {
        int k = Array.BinarySearch(symbolIndices, symbolIndex);
        if (k < 0 || symbolLabels[k].Start < 0)
        {
            return null;
        }

        var (start, end) = symbolLabels[k];
        ulong value = ByteOffsetOf(start);
        return (value, end >= 0 ? ByteOffsetOf(end) - value : size);
    }

    /// <summary>Marks where original instruction <paramref name="oldInsn"/> (of the original instance) starts: at the next instruction added.</summary>
    public void MarkOriginal(int oldInsn) => originals[oldInsn] = count;

    /// <summary>Starts the copy of <paramref name="f"/>; <see cref="MarkCopy"/> marks its instructions.</summary>
    public void BeginCopy(BpfFunction f)
    {
        copying = f;
        copyStart = Math.Min(copyStart, count);
        copyLabels = (copies ??= [])[f] = new int[f.Length + 1];
    }

    /// <summary>Marks where instruction <paramref name="oldInsn"/> of the copy begun last starts (its end: <c>f.EndInsn</c>): at the next instruction added.</summary>
    public void MarkCopy(int oldInsn) =>
        (copyLabels ?? throw new InvalidOperationException("no copy begun (internal error)"))[oldInsn - copying!.StartInsn] = count;

    /// <summary>
    /// Appends original instructions <paramref name="start"/> to <paramref name="end"/> (exclusive) of the original
    /// instance as they are, each marked where it starts: what <see cref="MarkOriginal"/> and <see cref="Add"/> per
    /// instruction do, in one pass.
    /// </summary>
    public void CarryOriginals(int start, int end) => Carry(start, end, originals, 0);

    /// <summary>Appends instructions <paramref name="start"/> to <paramref name="end"/> (exclusive) of the copy begun last as they are, each marked (<see cref="MarkCopy"/>).</summary>
    public void CarryCopy(int start, int end) =>
        Carry(start, end, copyLabels ?? throw new InvalidOperationException("no copy begun (internal error)"), copying!.StartInsn);

    private void Carry(int start, int end, int[] labels, int labelBase)
    {
        int needed = count + (end - start);
        if (needed > items.Length)
        {
            Array.Resize(ref items, Math.Max(needed, checked(items.Length * 2)));
        }

        for (int i = start; i < end; i++)
        {
            labels[i - labelBase] = count;
            items[count++] = EditableInstruction.Carried(i);
        }

        // The run's relocated instructions, in order (InstructionRelocations keeps them ascending): a cursor that moves
        // on from the last run, searched for only when a copy starts again before it.
        var relocations = Section.Relocations;
        int r = relocationCursor;
        if (r > 0 && relocations.InsnAt(r - 1) >= start)
        {
            r = relocations.FirstAtOrAfter(start);
        }

        while (r < relocations.Count && relocations.InsnAt(r) < start)
        {
            r++;
        }

        for (; r < relocations.Count && relocations.InsnAt(r) < end; r++)
        {
            relocated.Add(labels[relocations.InsnAt(r) - labelBase]);
        }

        relocationCursor = r;
    }

    /// <summary>Appends <paramref name="insn"/>; the marks made since the last one now point at it. Returns its index.</summary>
    public int Add(in EditableInstruction insn, bool hasRelocation)
    {
        if (count == items.Length)
        {
            Array.Resize(ref items, checked(items.Length * 2));
        }

        if (hasRelocation)
        {
            relocated.Add(count);
        }

        items[count] = insn;
        return count++;
    }

    /// <summary>The relocation carried by output instruction <paramref name="index"/> (one listed in <see cref="Relocated"/>).</summary>
    public ObjectRelocation RelocationAt(int index) =>
        Section.Relocations[items[index].OldInsn] ?? throw new InvalidOperationException("an instruction without a relocation (internal error)");

    /// <summary>The symbol index the relocation of output instruction <paramref name="index"/> uses in the output (before symbol renumbering).</summary>
    public int RelocationSymbol(int index) =>
        retargeted is not null && retargeted.TryGetValue(index, out int s) ? s : (int)RelocationAt(index).Raw.SymbolIndex;

    /// <summary>Makes the relocation of output instruction <paramref name="index"/> use symbol <paramref name="symbol"/>.</summary>
    public void Retarget(int index, int symbol) => (retargeted ??= [])[index] = symbol;

    /// <summary>The layout pass: each instruction's slot is the sum of the widths before it (RFC 9669 §5.4).</summary>
    /// <remarks>
    /// Kept as the input sections keep theirs, an <see cref="InstructionSlots"/> made of one bit per instruction (does it
    /// take two slots?), not a slot number in every instruction (issue 8's memory bound: 4 bytes per output instruction).
    /// </remarks>
    public void Layout()
    {
        var wideBits = new ulong[(count + 63) >> 6];
        int wide = 0;
        var original = Section.Slots;
        for (int k = 0; k < count; k++)
        {
            // Encoding changes an offset or an immediate, never the width (ld_imm64's two slots, RFC 9669 §5.4).
            ref readonly var insn = ref items[k];
            if (insn.IsInserted ? sequences[insn.SequencePosition.Sequence, insn.SequencePosition.Index].Width == 2 : original.IsWide(insn.OldInsn))
            {
                wideBits[k >> 6] |= 1UL << (k & 63);
                wide++;
            }
        }

        SlotCount = count + wide;
        slots = new InstructionSlots(wideBits, count, SlotCount);
    }

    /// <summary>Each output instruction's origin (<see cref="InstructionMap"/>'s encoding).</summary>
    public int[] Origins()
    {
        var origins = new int[count];
        for (int i = 0; i < count; i++)
        {
            origins[i] = InstructionMap.Encode(items[i].OldInsn, InCopyAt(i));
        }

        return origins;
    }
}
