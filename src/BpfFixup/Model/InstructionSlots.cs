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
            ArgumentOutOfRangeException.ThrowIfNegative(insn);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(insn, Count);
            int at = Array.BinarySearch(wide, insn);
            return insn + (at >= 0 ? at : ~at);
        }
    }

    /// <summary>The instruction starting at <paramref name="slot"/>, or -1 (a second slot, or past the end).</summary>
    public int InsnAt(int slot)
    {
        int lo = 0, hi = Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int s = this[mid];
            if (s == slot)
            {
                return mid;
            }

            if (s < slot) { lo = mid + 1; } else { hi = mid - 1; }
        }

        return -1;
    }
}
