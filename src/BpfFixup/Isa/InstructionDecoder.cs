// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using BpfFixup.Elf;

namespace BpfFixup.Isa;

/// <summary>
/// Span-based decoder of BPF instruction slots. Never throws on content: an undefined encoding decodes to an
/// instruction whose <see cref="Instruction.Kind"/> is <see cref="InstructionKind.Invalid"/>, plus a
/// <see cref="DecodeError"/> (as iced does with <c>Code.INVALID</c>).
/// </summary>
public static class InstructionDecoder
{
    /// <summary>Size of one instruction slot (RFC 9669 §3: "basic instruction encoding" is 64 bits).</summary>
    public const int SlotSize = 8;

    /// <summary>
    /// Decodes one instruction starting at <paramref name="slot"/>. A complete ld_imm64 consumes two slots;
    /// an ld_imm64 opcode in the last slot decodes as an incomplete (invalid) single slot.
    /// </summary>
    public static Instruction Decode(ReadOnlySpan<byte> code, int slot, ByteOrder order)
    {
        var first = code.Slice(slot * SlotSize, SlotSize);
        var insn = DecodeSlot(first, order);
        if (insn.Opcode == Opcodes.LdImm64 && (slot + 2) * SlotSize <= code.Length)
        {
            var second = DecodeSlot(code.Slice((slot + 1) * SlotSize, SlotSize), order);
            insn = insn with
            {
                IsWide = true,
                NextOpcode = second.Opcode,
                NextDst = second.Dst,
                NextSrc = second.Src,
                NextOffset = second.Offset,
                NextImm = second.Imm,
            };
        }

        return insn;
    }

    /// <summary>Decodes a whole code section. Trailing bytes that do not fill a slot are ignored by this call.</summary>
    public static DecodedStream DecodeAll(ReadOnlySpan<byte> code, ByteOrder order)
    {
        int slots = code.Length / SlotSize;

        // Count first (a slot is wide exactly when Decode makes it so), so the arrays are allocated once at their
        // size: no growing lists and no copies of a million instructions at the end.
        int count = 0;
        for (int slot = 0; slot < slots; count++)
        {
            slot += code[slot * SlotSize] == Opcodes.LdImm64 && (slot + 2) * SlotSize <= code.Length ? 2 : 1;
        }

        var insns = new Instruction[count];
        var starts = new int[count];
        var kinds = new InstructionKind[count];
        List<DecodeError>? errors = null;
        for (int slot = 0, i = 0; slot < slots; i++)
        {
            var insn = Decode(code, slot, order);
            var kind = InstructionClassifier.Explain(insn, out var reason);
            kinds[i] = kind;
            if (kind == InstructionKind.Invalid)
            {
                (errors ??= []).Add(new DecodeError(slot, insn.Opcode, reason ?? "invalid instruction"));
            }

            insns[i] = insn;
            starts[i] = slot;
            slot += insn.Width;
        }

        return new DecodedStream(insns, starts, slots, errors?.ToArray() ?? [], kinds);
    }

    /// <summary>
    /// The instruction whose slots, read as little-endian 64-bit words, are <paramref name="first"/> and (when
    /// <paramref name="wide"/>) <paramref name="second"/>: <see cref="Decode"/>'s value, without slicing a span per
    /// field (the model decodes from the section's bytes on every read, so this is on every pass's path).
    /// </summary>
    internal static Instruction FromWords(ulong first, ulong second, bool wide, ByteOrder order)
    {
        // Every second-slot field of a one-slot instruction is zero, as Decode leaves it: so is the second word.
        bool little = order == ByteOrder.Little;
        ulong next = wide ? second : 0;
        return new Instruction
        {
            Opcode = (byte)first,
            Dst = Nibble(first, little ? 8 : 12),
            Src = Nibble(first, little ? 12 : 8),
            Offset = OffsetOf(first, little),
            Imm = ImmOf(first, little),
            IsWide = wide,
            NextOpcode = (byte)next,
            NextDst = Nibble(next, little ? 8 : 12),
            NextSrc = Nibble(next, little ? 12 : 8),
            NextOffset = OffsetOf(next, little),
            NextImm = ImmOf(next, little),
        };
    }

    // A slot read as a little-endian word: code in bits 0-7, the register nibbles in 8-15 (dst low on little-endian
    // targets), off in 16-31 and imm in 32-63, byte-swapped on big-endian targets (see DecodeSlot).
    private static byte Nibble(ulong word, int shift) => (byte)((word >> shift) & 0x0f);

    private static short OffsetOf(ulong word, bool little) => little ? (short)(word >> 16) : BinaryPrimitives.ReverseEndianness((short)(word >> 16));

    private static int ImmOf(ulong word, bool little) => little ? (int)(word >> 32) : BinaryPrimitives.ReverseEndianness((int)(word >> 32));

    /// <summary>Decodes one 8-byte slot without looking at a following slot.</summary>
    public static Instruction DecodeSlot(ReadOnlySpan<byte> slot, ByteOrder order)
    {
        byte regs = slot[1];
        bool little = order == ByteOrder.Little;
        // struct bpf_insn { u8 code; u8 dst_reg:4, src_reg:4; s16 off; s32 imm; }: on a little-endian target
        // dst is the low nibble; on big-endian the bitfield order flips (include/uapi/linux/bpf.h declares the bitfields under
        // __LITTLE_ENDIAN_BITFIELD and __BIG_ENDIAN_BITFIELD; llvm/lib/Target/BPF/MCTargetDesc/BPFMCCodeEmitter.cpp swaps them for bpfeb).
        return new Instruction
        {
            Opcode = slot[0],
            Dst = (byte)(little ? regs & 0x0f : regs >> 4),
            Src = (byte)(little ? regs >> 4 : regs & 0x0f),
            Offset = little ? BinaryPrimitives.ReadInt16LittleEndian(slot[2..]) : BinaryPrimitives.ReadInt16BigEndian(slot[2..]),
            Imm = little ? BinaryPrimitives.ReadInt32LittleEndian(slot[4..]) : BinaryPrimitives.ReadInt32BigEndian(slot[4..]),
        };
    }
}
