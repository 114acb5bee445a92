// SPDX-License-Identifier: MIT
namespace BpfFixup.Model;

/// <summary>
/// The first slot of each instruction of a code section: its index plus the number of two-slot ld_imm64 before it
/// (RFC 9669 §5.4). Only the ld_imm64 positions are stored (issue 8: a slot number per instruction was 4 MB per
/// million instructions).
/// </summary>
public sealed class InstructionSlots
{
    private readonly int[] wide;

    /// <summary>From the first slot of each instruction, ascending, and the section's slot count.</summary>
    internal InstructionSlots(int[] starts, int slotCount)
    {
        Count = starts.Length;
        int n = 0;
        for (int i = 0; i < starts.Length; i++)
        {
            if ((i + 1 < starts.Length ? starts[i + 1] : slotCount) - starts[i] > 1)
            {
                n++;
            }
        }

        wide = new int[n];
        for (int i = 0, k = 0; i < starts.Length; i++)
        {
            if ((i + 1 < starts.Length ? starts[i + 1] : slotCount) - starts[i] > 1)
            {
                wide[k++] = i;
            }
        }
    }

    /// <summary>The number of instructions.</summary>
    public int Count { get; }

    /// <summary>The first slot of instruction <paramref name="insn"/>.</summary>
    public int this[int insn]
    {
        get
        {
            if ((uint)insn >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(insn));
            }

            return wide.Length == 0 ? insn : insn + LowerBound(wide, insn, 0);
        }
    }

    /// <summary>The instruction starting at <paramref name="slot"/>, or -1 (a second slot, or past the end).</summary>
    public int InsnAt(int slot)
    {
        // The j-th ld_imm64 (instruction wide[j]) has its second slot at wide[j] + j + 1; k of them end before slot.
        int lo = LowerBound(wide, slot - 1, 1);
        if (lo < wide.Length && wide[lo] + lo + 1 == slot)
        {
            return -1;
        }

        int insn = slot - lo;
        return insn >= 0 && insn < Count ? insn : -1;
    }

    /// <summary>The number of positions i of <paramref name="values"/> with values[i] + i * <paramref name="shift"/> below <paramref name="value"/> (that rises with i).</summary>
    private static int LowerBound(int[] values, int value, int shift)
    {
        int lo = 0, hi = values.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (values[mid] + (mid * shift) < value) { lo = mid + 1; } else { hi = mid; }
        }

        return lo;
    }
}
