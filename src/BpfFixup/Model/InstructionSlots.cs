// SPDX-License-Identifier: MIT
using System.Numerics;

namespace BpfFixup.Model;

/// <summary>
/// The first slot of each instruction of a code section: its index plus the number of two-slot ld_imm64 before it
/// (RFC 9669 §5.4). Stored as two rank bitmaps, one bit per instruction (is it an ld_imm64?) and one per slot (is it
/// the second slot of one?), with a running count per 64 bits: both directions are a constant-time popcount, and
/// the whole costs about 0.4 bytes per instruction (issue 8: a slot number per instruction was 4 MB per million
/// instructions; issue 11: a binary search per question was 7 % of <c>dump</c>).
/// </summary>
public sealed class InstructionSlots
{
    private readonly ulong[] wideBits;   // bit i: instruction i takes two slots
    private readonly int[] wideBefore;   // wide instructions before each 64-instruction block
    private readonly ulong[] secondBits; // bit s: slot s is the second slot of an ld_imm64
    private readonly int[] secondBefore; // second slots before each 64-slot block
    private readonly int slotCount;

    /// <summary>From the first slot of each instruction, ascending, and the section's slot count.</summary>
    internal InstructionSlots(int[] starts, int slotCount)
        : this(WideBitsOf(starts, slotCount), starts.Length, slotCount)
    {
    }

    /// <summary>From one bit per instruction (set for a two-slot instruction), the instruction and slot counts.</summary>
    internal InstructionSlots(ulong[] wideBits, int count, int slotCount)
    {
        Count = count;
        this.slotCount = slotCount;
        this.wideBits = wideBits;
        wideBefore = new int[wideBits.Length];
        secondBits = new ulong[(slotCount + 63) >> 6];
        secondBefore = new int[secondBits.Length];
        int wide = 0;
        for (int b = 0; b < wideBits.Length; b++)
        {
            wideBefore[b] = wide;
            for (ulong bits = wideBits[b]; bits != 0; bits &= bits - 1)
            {
                int insn = (b << 6) + BitOperations.TrailingZeroCount(bits);
                int second = insn + wide + 1; // the k-th ld_imm64 (from 0) has its second slot at insn + k + 1
                secondBits[second >> 6] |= 1UL << (second & 63);
                wide++;
            }
        }

        int seconds = 0;
        for (int b = 0; b < secondBits.Length; b++)
        {
            secondBefore[b] = seconds;
            seconds += BitOperations.PopCount(secondBits[b]);
        }

        WideCount = wide;
    }

    /// <summary>The number of instructions.</summary>
    public int Count { get; }

    /// <summary>The number of two-slot instructions.</summary>
    public int WideCount { get; }

    /// <summary>The first slot of instruction <paramref name="insn"/>.</summary>
    public int this[int insn]
    {
        get
        {
            if ((uint)insn >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(insn));
            }

            int b = insn >> 6;
            return insn + wideBefore[b] + BitOperations.PopCount(wideBits[b] & ((1UL << (insn & 63)) - 1));
        }
    }

    /// <summary>The first slot of instruction <paramref name="insn"/> and whether it takes two: one lookup for both.</summary>
    internal int SlotOf(int insn, out bool wide)
    {
        if ((uint)insn >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(insn));
        }

        int b = insn >> 6;
        ulong bits = wideBits[b], bit = 1UL << (insn & 63);
        wide = (bits & bit) != 0;
        return insn + wideBefore[b] + BitOperations.PopCount(bits & (bit - 1));
    }

    /// <summary>True when instruction <paramref name="insn"/> takes two slots (a complete ld_imm64).</summary>
    public bool IsWide(int insn)
    {
        if ((uint)insn >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(insn));
        }

        return (wideBits[insn >> 6] & (1UL << (insn & 63))) != 0;
    }

    /// <summary>The instruction starting at <paramref name="slot"/>, or -1 (a second slot, or past the end).</summary>
    public int InsnAt(int slot)
    {
        if ((uint)slot >= (uint)slotCount)
        {
            return -1;
        }

        int b = slot >> 6;
        ulong bit = 1UL << (slot & 63);
        if ((secondBits[b] & bit) != 0)
        {
            return -1;
        }

        int insn = slot - secondBefore[b] - BitOperations.PopCount(secondBits[b] & (bit - 1));
        return insn < Count ? insn : -1;
    }

    private static ulong[] WideBitsOf(int[] starts, int slotCount)
    {
        var bits = new ulong[(starts.Length + 63) >> 6];
        for (int i = 0; i < starts.Length; i++)
        {
            if ((i + 1 < starts.Length ? starts[i + 1] : slotCount) - starts[i] > 1)
            {
                bits[i >> 6] |= 1UL << (i & 63);
            }
        }

        return bits;
    }
}
