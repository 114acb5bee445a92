// SPDX-License-Identifier: MIT
using BpfFixup.Diff;
using BpfFixup.Model;
using BpfFixup.Rewrite;

namespace BpfFixup.Snapshots;

/// <summary>
/// The before/after alignment of a fixup's listings taken from the rewrite's <see cref="InstructionMap"/> instead of
/// searched for (issue 11): a line showing an instruction the rewrite carried over is matched with the line showing
/// where it went; only the short stretches between two such lines (an inline sequence against the call it replaced,
/// a changed call name) are diffed, so the cost is linear in the listing however much the fixup inserted.
/// </summary>
internal static class FixupAlignment
{
    /// <summary>The anchor of instruction <paramref name="insn"/> of code section <paramref name="section"/> (its ordinal).</summary>
    public static long Anchor(int section, int insn) => ((long)section << 32) | (uint)insn;

    /// <summary>
    /// For each instruction of <paramref name="patched"/>, the anchor of its original (-1 for an inserted one), or null
    /// when <paramref name="map"/> does not describe <paramref name="patched"/>'s code (then the listings are searched).
    /// </summary>
    public static Func<int, int, long>? AnchorsAfter(BpfObject patched, InstructionMap? map)
    {
        if (map is null)
        {
            return Anchor;
        }

        if (map.SectionCount != patched.CodeSections.Count
            || Enumerable.Range(0, map.SectionCount).Any(s => map.InstructionCount(s) != patched.CodeSections[s].Instructions.Length))
        {
            return null;
        }

        // A copy's instruction anchors to the original it copies: the program that showed the original shows the copy.
        return (section, insn) => map.OriginOf(section, insn) is { IsInserted: false } o ? Anchor(section, o.Insn) : -1;
    }

    /// <summary>An edit script from <paramref name="a"/> to <paramref name="b"/> that keeps every anchored line whose text did not change.</summary>
    /// <param name="a">The old lines.</param>
    /// <param name="anchorsA">The anchor of each old line, in order, as the renderer's per-function arrays.</param>
    /// <param name="b">The new lines.</param>
    /// <param name="anchorsB">The anchor of each new line, likewise.</param>
    public static EditScript Align(IReadOnlyList<ListingLine> a, IReadOnlyList<long[]> anchorsA, IReadOnlyList<ListingLine> b, IReadOnlyList<long[]> anchorsB)
    {
        var at = new Dictionary<long, int>();
        int line = 0;
        foreach (var segment in anchorsA)
        {
            foreach (long anchor in segment)
            {
                if (anchor >= 0)
                {
                    at.TryAdd(anchor, line);
                }

                line++;
            }
        }

        var runs = new List<EditRun>();
        int ai = 0, bi = 0, j = 0;
        foreach (var segment in anchorsB)
        {
            foreach (long anchor in segment)
            {
                // Anchors are taken in B's order and only forwards in A, so the matches never cross.
                if (anchor >= 0 && at.TryGetValue(anchor, out int i) && i >= ai && string.Equals(a[i].Compare, b[j].Compare, StringComparison.Ordinal))
                {
                    Gap(a, ai, i, b, bi, j, runs);
                    Add(runs, new EditRun(EditKind.Equal, i, j, 1));
                    ai = i + 1;
                    bi = j + 1;
                }

                j++;
            }
        }

        Gap(a, ai, a.Count, b, bi, b.Count, runs);
        return new EditScript(runs, a.Count, b.Count);
    }

    /// <summary>Diffs a[a0..a1) against b[b0..b1), the stretch between two anchors, appending its runs at their positions.</summary>
    private static void Gap(IReadOnlyList<ListingLine> a, int a0, int a1, IReadOnlyList<ListingLine> b, int b0, int b1, List<EditRun> runs)
    {
        if (a0 == a1 && b0 == b1)
        {
            return;
        }

        if (a0 == a1 || b0 == b1)
        {
            Add(runs, a0 == a1 ? new EditRun(EditKind.Insert, a0, b0, b1 - b0) : new EditRun(EditKind.Delete, a0, b0, a1 - a0));
            return;
        }

        if (NoneEqual(a, a0, a1, b, b0, b1))
        {
            // The usual stretch: a call against the sequence that replaced it. With no line in common the one minimal
            // script deletes A's lines, then inserts B's (the order a unified diff prints them in), without a search.
            Add(runs, new EditRun(EditKind.Delete, a0, b0, a1 - a0));
            Add(runs, new EditRun(EditKind.Insert, a1, b0, b1 - b0));
            return;
        }

        var script = StreamDiffer.Diff(Keys(a, a0, a1), Keys(b, b0, b1));
        foreach (var r in script.Runs)
        {
            Add(runs, r with { OldIndex = r.OldIndex + a0, NewIndex = r.NewIndex + b0 });
        }
    }

    /// <summary>True when the short stretches a[a0..a1) and b[b0..b1) have no line in common (false when they are not short).</summary>
    private static bool NoneEqual(IReadOnlyList<ListingLine> a, int a0, int a1, IReadOnlyList<ListingLine> b, int b0, int b1)
    {
        const int MaxPairs = 1024; // beyond that the search is the cheaper way to find out
        if ((long)(a1 - a0) * (b1 - b0) > MaxPairs)
        {
            return false;
        }

        for (int i = a0; i < a1; i++)
        {
            for (int j = b0; j < b1; j++)
            {
                if (string.Equals(a[i].Compare, b[j].Compare, StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static string[] Keys(IReadOnlyList<ListingLine> lines, int from, int to)
    {
        var keys = new string[to - from];
        for (int i = from; i < to; i++)
        {
            keys[i - from] = lines[i].Compare;
        }

        return keys;
    }

    /// <summary>Appends <paramref name="run"/>, joining it to the last run when that is of the same kind and ends where it starts.</summary>
    private static void Add(List<EditRun> runs, EditRun run)
    {
        if (runs.Count > 0 && runs[^1] is var last && last.Kind == run.Kind
            && last.OldIndex + (run.Kind == EditKind.Insert ? 0 : last.Count) == run.OldIndex
            && last.NewIndex + (run.Kind == EditKind.Delete ? 0 : last.Count) == run.NewIndex)
        {
            runs[^1] = last with { Count = last.Count + run.Count };
            return;
        }

        runs.Add(run);
    }
}
