// SPDX-License-Identifier: MIT
using System.Numerics;

namespace BpfFixup.Analysis;

/// <summary>
/// The blocks still to visit in a fixpoint, taken lowest id first: a bit per block, not a node per entry as a
/// sorted set has (an allocation per block visit).
/// </summary>
internal sealed class BlockWorklist
{
    private readonly ulong[] bits;
    private int lowestWord; // no bit is set in a word below this one
    private int count;

    /// <summary>An empty list for <paramref name="blocks"/> blocks.</summary>
    public BlockWorklist(int blocks) => bits = new ulong[(blocks + 63) / 64];

    /// <summary>True when no block is left.</summary>
    public bool IsEmpty => count == 0;

    /// <summary>Adds <paramref name="block"/> (nothing when it is there already).</summary>
    public void Add(int block)
    {
        int w = block >> 6;
        ulong bit = 1UL << (block & 63);
        if ((bits[w] & bit) == 0)
        {
            bits[w] |= bit;
            count++;
            lowestWord = Math.Min(lowestWord, w);
        }
    }

    /// <summary>Removes and returns the lowest block; the list must not be empty.</summary>
    public int TakeMin()
    {
        while (bits[lowestWord] == 0)
        {
            lowestWord++;
        }

        ulong word = bits[lowestWord];
        int block = (lowestWord << 6) + BitOperations.TrailingZeroCount(word);
        bits[lowestWord] = word & (word - 1);
        count--;
        return block;
    }
}
