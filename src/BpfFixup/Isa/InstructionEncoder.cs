// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using BpfFixup.Elf;

namespace BpfFixup.Isa;

/// <summary>Span-based encoder; the exact inverse of <see cref="InstructionDecoder"/>.</summary>
public static class InstructionEncoder
{
    /// <summary>Writes <paramref name="insn"/> (8 or 16 bytes) to <paramref name="dest"/>; returns the bytes written.</summary>
    public static int Encode(in Instruction insn, Span<byte> dest, ByteOrder order)
    {
        EncodeSlot(insn.Opcode, insn.Dst, insn.Src, insn.Offset, insn.Imm, dest, order);
        if (!insn.IsWide)
        {
            return InstructionDecoder.SlotSize;
        }

        EncodeSlot(insn.NextOpcode, insn.NextDst, insn.NextSrc, insn.NextOffset, insn.NextImm, dest[InstructionDecoder.SlotSize..], order);
        return 2 * InstructionDecoder.SlotSize;
    }

    /// <summary>Encodes a sequence into a new array.</summary>
    public static byte[] EncodeAll(ReadOnlySpan<Instruction> insns, ByteOrder order)
    {
        int slots = 0;
        foreach (ref readonly var i in insns)
        {
            slots += i.Width;
        }

        var bytes = new byte[slots * InstructionDecoder.SlotSize];
        int at = 0;
        foreach (ref readonly var i in insns)
        {
            at += Encode(i, bytes.AsSpan(at), order);
        }

        return bytes;
    }

    private static void EncodeSlot(byte opcode, byte dst, byte src, short off, int imm, Span<byte> dest, ByteOrder order)
    {
        dest[0] = opcode;
        if (order == ByteOrder.Little)
        {
            dest[1] = (byte)((src << 4) | (dst & 0x0f));
            BinaryPrimitives.WriteInt16LittleEndian(dest[2..], off);
            BinaryPrimitives.WriteInt32LittleEndian(dest[4..], imm);
        }
        else
        {
            dest[1] = (byte)((dst << 4) | (src & 0x0f));
            BinaryPrimitives.WriteInt16BigEndian(dest[2..], off);
            BinaryPrimitives.WriteInt32BigEndian(dest[4..], imm);
        }
    }
}
