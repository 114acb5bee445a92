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
    /// <param name="functionsA">The functions of the old listing, in order, rendered with <see cref="Anchor"/> as their anchors.</param>
    /// <param name="b">The new lines.</param>
    /// <param name="functionsB">The functions of the new listing, in order, with the anchors of <see cref="AnchorsAfter"/>.</param>
    /// <param name="known">The scripts of stretches searched before, shared by the programs of one object (<see cref="GapScripts"/>); null for none.</param>
    public static EditScript Align(IReadOnlyList<ListingLine> a, IReadOnlyList<RenderedFunction> functionsA, IReadOnlyList<ListingLine> b, IReadOnlyList<RenderedFunction> functionsB, GapScripts? known = null)
    {
        var lineOf = new OldLines(functionsA);
        var gaps = new GapIds(functionsA, functionsB, known ?? new GapScripts());
        var runs = new List<EditRun>();
        int ai = 0, bi = 0, j = 0;
        foreach (var function in functionsB)
        {
            var anchors = function.Anchors!;
            for (int k = 0; k < anchors.Length; k++)
            {
                // Anchors are taken in B's order and only forwards in A, so the matches never cross. Within one id space
                // the ids say whether the texts are equal (ListingLineCache), without reading either line.
                long anchor = anchors[k];
                if (anchor >= 0 && lineOf.TryGet(anchor, out int i, out var fa, out int local) && i >= ai
                    && (gaps.OneSpace && fa is not null ? fa.Ids[local] == function.Ids[k] : string.Equals(a[i].Compare, b[j].Compare, StringComparison.Ordinal)))
                {
                    Gap(a, ai, i, b, bi, j, runs, gaps);
                    Add(runs, new EditRun(EditKind.Equal, i, j, 1));
                    ai = i + 1;
                    bi = j + 1;
                }

                j++;
            }
        }

        Gap(a, ai, a.Count, b, bi, b.Count, runs, gaps);
        return new EditScript(runs, a.Count, b.Count);
    }

    /// <summary>
    /// The first line of the old listing that shows an anchor (an instruction of the original), found from the functions'
    /// own instruction-to-line arrays: per code section the functions sorted by their first instruction and searched,
    /// instead of a table of every line. Functions of one section that overlap (a damaged symbol table) fall back to the table.
    /// </summary>
    private sealed class OldLines
    {
        private readonly Dictionary<int, (int[] Starts, RenderedFunction[] Functions, int[] Offsets)> bySection = [];
        private readonly Dictionary<long, int>? table;

        public OldLines(IReadOnlyList<RenderedFunction> functions)
        {
            var offsets = new int[functions.Count];
            for (int f = 0, line = 0; f < functions.Count; f++)
            {
                offsets[f] = line;
                line += functions[f].Ids.Length;
            }

            // A function without instructions shows no anchor; leaving it out keeps the first instructions strictly ascending.
            foreach (var group in Enumerable.Range(0, functions.Count).Where(f => functions[f].InsnLines.Length > 0).GroupBy(f => functions[f].Section))
            {
                var order = group.OrderBy(f => functions[f].StartInsn).ToArray();
                for (int k = 1; k < order.Length; k++)
                {
                    var previous = functions[order[k - 1]];
                    if (previous.StartInsn + previous.InsnLines.Length > functions[order[k]].StartInsn)
                    {
                        table = Table(functions, offsets);
                        return;
                    }
                }

                bySection[group.Key] = (order.Select(f => functions[f].StartInsn).ToArray(), order.Select(f => functions[f]).ToArray(), order.Select(f => offsets[f]).ToArray());
            }
        }

        /// <summary>The line that shows <paramref name="anchor"/>, and the function and its line there (null from the table).</summary>
        public bool TryGet(long anchor, out int line, out RenderedFunction? function, out int local)
        {
            function = null;
            local = -1;
            if (table is not null)
            {
                return table.TryGetValue(anchor, out line);
            }

            line = -1;
            if (!bySection.TryGetValue((int)(anchor >> 32), out var section))
            {
                return false;
            }

            int insn = (int)anchor;
            int k = Array.BinarySearch(section.Starts, insn);
            k = k >= 0 ? k : ~k - 1;
            if (k < 0 || insn - section.Starts[k] >= section.Functions[k].InsnLines.Length)
            {
                return false;
            }

            function = section.Functions[k];
            local = function.InsnLines[insn - section.Starts[k]];
            line = section.Offsets[k] + local;
            return true;
        }

        private static Dictionary<long, int> Table(IReadOnlyList<RenderedFunction> functions, int[] offsets)
        {
            var at = new Dictionary<long, int>();
            for (int f = 0; f < functions.Count; f++)
            {
                for (int k = 0; k < functions[f].InsnLines.Length; k++)
                {
                    at.TryAdd(Anchor(functions[f].Section, functions[f].StartInsn + k), offsets[f] + functions[f].InsnLines[k]);
                }
            }

            return at;
        }
    }

    /// <summary>Diffs a[a0..a1) against b[b0..b1), the stretch between two anchors, appending its runs at their positions.</summary>
    private static void Gap(IReadOnlyList<ListingLine> a, int a0, int a1, IReadOnlyList<ListingLine> b, int b0, int b1, List<EditRun> runs, GapIds gaps)
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

        // A stretch inside one function on each side is the same stretch in every program that shows both functions
        // (a subprogram reached from many programs): searched once, its script reused.
        var key = gaps.KeyOf(a0, a1, b0, b1);
        if (key is not { } k || !gaps.Known.TryGetValue(k, out var script))
        {
            if (gaps.OneSpace)
            {
                var (idsA, idsB) = gaps.Of(a0, a1, b0, b1);
                script = MyersDiff.Compute(idsA, idsB).Runs;
            }
            else
            {
                script = StreamDiffer.Diff(Keys(a, a0, a1), Keys(b, b0, b1)).Runs;
            }

            if (key is { } made)
            {
                gaps.Known.Add(made, script);
            }
        }

        for (int r = 0; r < script.Count; r++)
        {
            Add(runs, script[r] with { OldIndex = script[r].OldIndex + a0, NewIndex = script[r].NewIndex + b0 });
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

    /// <summary>
    /// The lines of a stretch of each listing as ids numbered from 0 in order of first appearance (A's stretch, then
    /// B's), as <see cref="StreamDiffer.Diff(IReadOnlyList{string}, IReadOnlyList{string})"/> numbers their texts: the
    /// renderer's line ids (both listings from one <see cref="ListingLineCache"/>, equal exactly when the texts are),
    /// renumbered so that the search's tables are the size of the stretch, not of the cache.
    /// </summary>
    private sealed class GapIds(IReadOnlyList<RenderedFunction> functionsA, IReadOnlyList<RenderedFunction> functionsB, GapScripts known)
    {
        private readonly int[] startsA = Starts(functionsA);
        private readonly int[] startsB = Starts(functionsB);
        private readonly Dictionary<int, int> dense = [];

        /// <summary>Whether every function's ids come from one cache (as a fixup's two listings do); else the texts are compared.</summary>
        public bool OneSpace { get; } = functionsA.Concat(functionsB).Select(f => f.IdSpace).Distinct().Count() <= 1;

        /// <summary>The scripts of stretches searched before.</summary>
        public GapScripts Known => known;

        /// <summary>
        /// The stretch a[a0..a1) against b[b0..b1) as the functions and lines it covers, or null when a side is empty or
        /// runs over the end of its function (then it is searched every time).
        /// </summary>
        public GapScripts.Key? KeyOf(int a0, int a1, int b0, int b1) =>
            Within(functionsA, startsA, a0, a1) is var (fa, fromA) && Within(functionsB, startsB, b0, b1) is var (fb, fromB)
                ? new GapScripts.Key(fa, fromA, a1 - a0, fb, fromB, b1 - b0)
                : null;

        private static (RenderedFunction Function, int From)? Within(IReadOnlyList<RenderedFunction> functions, int[] starts, int from, int to)
        {
            if (from >= to)
            {
                return null;
            }

            int f = Array.BinarySearch(starts, from);
            f = f >= 0 ? f : ~f - 1;
            while (from - starts[f] >= functions[f].Ids.Length)
            {
                f++; // past functions without lines that start where this one does
            }

            return to - starts[f] <= functions[f].Ids.Length ? (functions[f], from - starts[f]) : null;
        }

        public (int[] A, int[] B) Of(int a0, int a1, int b0, int b1)
        {
            dense.Clear();
            return (Fill(functionsA, startsA, a0, a1), Fill(functionsB, startsB, b0, b1));
        }

        private int[] Fill(IReadOnlyList<RenderedFunction> functions, int[] starts, int from, int to)
        {
            var ids = new int[to - from];
            int f = Array.BinarySearch(starts, from);
            f = f >= 0 ? f : ~f - 1;
            for (int line = from; line < to; line++)
            {
                while (line - starts[f] >= functions[f].Ids.Length)
                {
                    f++;
                }

                int id = functions[f].Ids[line - starts[f]];
                if (!dense.TryGetValue(id, out int d))
                {
                    d = dense.Count;
                    dense.Add(id, d);
                }

                ids[line - from] = d;
            }

            return ids;
        }

        private static int[] Starts(IReadOnlyList<RenderedFunction> functions)
        {
            var starts = new int[functions.Count];
            for (int f = 0, line = 0; f < functions.Count; f++)
            {
                starts[f] = line;
                line += functions[f].Ids.Length;
            }

            return starts;
        }
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
