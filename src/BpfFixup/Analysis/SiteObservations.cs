// SPDX-License-Identifier: MIT
using System.Numerics;
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>
/// R1 at each session-kfunc call site while one program is analysed, by the site's position in
/// <see cref="BpfObject.SessionCallSites"/> (sorted by section, then instruction): tables lent from program to
/// program, with a bit per position one program touched, instead of a map keyed by (section, instruction) probed at every
/// call and sorted at the end (read in order, the bits need no sort either: a sort per program was 3 % of <c>check</c>
/// on an object of 2,000 programs). The values of the sites one program touched are kept in a list of their own, found
/// from the position by an index: 4 bytes per site of the object, not a 32-byte value (6 MB at 1.6M slots).
/// </summary>
internal sealed class SiteObservations
{
    private readonly BpfObject obj;
    private readonly int[] insns;
    private readonly int[] slotOf; // where in r1 the value of each position is, -1 while it is not observed
    private readonly List<RegValue> r1 = []; // the values of the positions observed since the last drain
    private readonly ulong[] seen; // a bit per position observed since the last drain
    // A bit per word of seen that has a bit set: a program observes the sites of its own section and of the .text
    // functions it calls, far apart in the object's order, and scanning every word between them was a scan of the
    // whole object's sites per program (2 % of check on an object of 2,000 programs).
    private readonly ulong[] words;
    private int lowestWord = int.MaxValue, highestWord = -1; // the words of words that may have a bit set

    /// <summary>An empty table for the call sites of <paramref name="obj"/>.</summary>
    public SiteObservations(BpfObject obj)
    {
        this.obj = obj;
        var sites = obj.SessionCallSites;
        insns = new int[sites.Count];
        for (int i = 0; i < sites.Count; i++)
        {
            insns[i] = sites[i].Insn;
        }

        slotOf = new int[sites.Count];
        Array.Fill(slotOf, -1);
        seen = new ulong[(sites.Count + 63) >> 6];
        words = new ulong[(seen.Length + 63) >> 6];
    }

    /// <summary>The positions of <paramref name="section"/>'s call sites, [Start, End).</summary>
    public (int Start, int End) RangeOf(CodeSection section) => obj.SessionCallSiteRange(section) ?? default;

    /// <summary>Joins <paramref name="value"/> into R1 of the call site at <paramref name="insn"/>, among <paramref name="range"/>.</summary>
    public void Observe((int Start, int End) range, int insn, RegValue value) => ObserveAt(PositionOf(range, insn), value);

    /// <summary>The position of the call site at <paramref name="insn"/> among <paramref name="range"/> (a search of their instructions, which rise).</summary>
    public int PositionOf((int Start, int End) range, int insn)
    {
        // The span's search compares ints directly (Array.BinarySearch's goes through a comparer: 4 % of check on an
        // object of 2,000 programs).
        int at = insns.AsSpan(range.Start, range.End - range.Start).BinarySearch(insn);
        return at >= 0 ? range.Start + at : throw new InvalidOperationException($"no session call site at instruction {insn}");
    }

    /// <summary>Joins <paramref name="value"/> into R1 of the call site at <paramref name="at"/> (<see cref="PositionOf"/>).</summary>
    public void ObserveAt(int at, RegValue value)
    {
        int w = at >> 6;
        ulong bit = 1UL << (at & 63);
        if ((seen[w] & bit) != 0)
        {
            r1[slotOf[at]] = RegValue.Join(r1[slotOf[at]], value);
        }
        else
        {
            seen[w] |= bit;
            slotOf[at] = r1.Count;
            r1.Add(value);
            int ww = w >> 6;
            words[ww] |= 1UL << (w & 63);
            lowestWord = Math.Min(lowestWord, ww);
            highestWord = Math.Max(highestWord, ww);
        }
    }

    /// <summary>
    /// The positions in <see cref="BpfObject.SessionCallSites"/> of the sites observed since the last call, in order, with R1, into
    /// <paramref name="result"/> (cleared first: one list serves every program); the table is empty after.
    /// </summary>
    public List<(int Position, RegValue R1)> Drain(List<(int Position, RegValue R1)> result)
    {
        result.Clear();
        for (int ww = lowestWord; ww <= highestWord; ww++)
        {
            for (ulong used = words[ww]; used != 0; used &= used - 1)
            {
                int w = (ww << 6) + BitOperations.TrailingZeroCount(used);
                for (ulong word = seen[w]; word != 0; word &= word - 1)
                {
                    int at = (w << 6) + BitOperations.TrailingZeroCount(word);
                    result.Add((at, r1[slotOf[at]]));
                    slotOf[at] = -1;
                }

                seen[w] = 0;
            }

            words[ww] = 0;
        }

        r1.Clear();
        lowestWord = int.MaxValue;
        highestWord = -1;
        return result;
    }
}
