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
    /// <param name="pairs">The alignments of function pairs made before, shared by the programs of one object (<see cref="PairScripts"/>); null for none.</param>
    public static EditScript Align(IReadOnlyList<ListingLine> a, IReadOnlyList<RenderedFunction> functionsA, IReadOnlyList<ListingLine> b, IReadOnlyList<RenderedFunction> functionsB, GapScripts? known = null, PairScripts? pairs = null)
    {
        known ??= new GapScripts();
        if (pairs is not null && ByPairs(a, functionsA, b, functionsB, known, pairs) is { } byPairs)
        {
            return byPairs;
        }

        var lineOf = new OldLines(functionsA);
        var gaps = new GapIds(functionsA, functionsB, known, OneSpace(functionsA, functionsB));
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
    /// <see cref="Align"/> put together from the alignments of its function pairs (the k-th function of each side),
    /// each made once per object (<see cref="PairScripts"/>), or null when the program's listings do not allow it; then
    /// the lines are aligned one by one. It gives Align's script: when every anchor of a new function points into the
    /// old function it is paired with (or nowhere), and the old functions do not overlap, the lines Align matches in a
    /// pair are the ones matched in the pair alone (every line of the old function lies past the last match of the
    /// functions before it), and the stretches between two matches of one pair are diffed alone there too
    /// (<see cref="Gap"/> of the stretch's own lines). Only the stretches that cross from one function to the next
    /// (a function's name line, its leading labels and comments) are diffed per program.
    /// </summary>
    internal static EditScript? ByPairs(IReadOnlyList<ListingLine> a, IReadOnlyList<RenderedFunction> functionsA, IReadOnlyList<ListingLine> b, IReadOnlyList<RenderedFunction> functionsB, GapScripts known, PairScripts pairs)
    {
        if (functionsA.Count != functionsB.Count || !OneSpace(functionsA, functionsB) || !Disjoint(functionsA)
            || LineCount(functionsA) != a.Count || LineCount(functionsB) != b.Count)
        {
            return null;
        }

        // The pairs first: the runs they give, and about three more per function for the stretches between them, make
        // the list's size, so that it is allocated once (a program's list is as long as its pairs' together).
        var interiors = new PairScripts.Interior[functionsA.Count];
        int capacity = 1;
        for (int f = 0; f < functionsA.Count; f++)
        {
            var (fa, fb) = (functionsA[f], functionsB[f]);
            if (!pairs.TryGetValue(fa, fb, out var made))
            {
                made = Interior(fa, fb, known);
                pairs.Add(fa, fb, made);
            }

            if (made is null)
            {
                return null;
            }

            interiors[f] = made;
            capacity += made.Runs.Length + 3;
        }

        var gaps = new GapIds(functionsA, functionsB, known, oneSpace: true);
        var runs = new List<EditRun>(capacity);
        int ai = 0, bi = 0, offsetA = 0, offsetB = 0;
        for (int f = 0; f < functionsA.Count; f++)
        {
            var (fa, fb, interior) = (functionsA[f], functionsB[f], interiors[f]);

            if (interior.Runs.Length > 0)
            {
                Gap(a, ai, offsetA + interior.FromA, b, bi, offsetB + interior.FromB, runs, gaps);
                foreach (var run in interior.Runs)
                {
                    Add(runs, run with { OldIndex = run.OldIndex + offsetA, NewIndex = run.NewIndex + offsetB });
                }

                ai = offsetA + interior.ToA;
                bi = offsetB + interior.ToB;
            }

            offsetA += fa.Ids.Length;
            offsetB += fb.Ids.Length;
        }

        Gap(a, ai, a.Count, b, bi, b.Count, runs, gaps);
        return new EditScript(runs, a.Count, b.Count);
    }

    /// <summary>
    /// The matches of <paramref name="fb"/>'s anchors in <paramref name="fa"/> and the runs from the first to the last, as
    /// <see cref="Align"/>'s loop finds them; null when an anchor points outside <paramref name="fa"/> (where it matches
    /// depends on what else the program shows).
    /// </summary>
    private static PairScripts.Interior? Interior(RenderedFunction fa, RenderedFunction fb, GapScripts known)
    {
        if (fb.Anchors is not { } anchors)
        {
            return null;
        }

        var gaps = new GapIds([fa], [fb], known, oneSpace: true); // as the program's (ByPairs checked)
        var runs = new List<EditRun>();
        int ai = 0, bi = 0, fromA = 0, fromB = 0;
        for (int k = 0; k < anchors.Length; k++)
        {
            long anchor = anchors[k];
            if (anchor < 0)
            {
                continue;
            }

            int insn = (int)anchor - fa.StartInsn;
            if ((int)(anchor >> 32) != fa.Section || insn < 0 || insn >= fa.InsnLines.Length)
            {
                return null;
            }

            int i = fa.InsnLines[insn];
            if (i >= ai && fa.Ids[i] == fb.Ids[k])
            {
                if (runs.Count == 0)
                {
                    (fromA, fromB) = (i, k);
                }
                else
                {
                    Gap(fa.Lines, ai, i, fb.Lines, bi, k, runs, gaps);
                }

                Add(runs, new EditRun(EditKind.Equal, i, k, 1));
                ai = i + 1;
                bi = k + 1;
            }
        }

        return new PairScripts.Interior(fromA, fromB, ai, bi, [.. runs]);
    }

    /// <summary>Whether every function's ids come from one cache (<see cref="GapIds.OneSpace"/>).</summary>
    private static bool OneSpace(IReadOnlyList<RenderedFunction> functionsA, IReadOnlyList<RenderedFunction> functionsB)
    {
        object? space = null;
        foreach (var list in (ReadOnlySpan<IReadOnlyList<RenderedFunction>>)[functionsA, functionsB])
        {
            for (int f = 0; f < list.Count; f++)
            {
                space ??= list[f].IdSpace;
                if (!ReferenceEquals(space, list[f].IdSpace))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Whether no two of <paramref name="functions"/> with instructions share one (<see cref="OldLines"/> then finds an
    /// anchor in the one function that holds it); a program shows a handful of functions, so each pair is tried, and a
    /// program of very many is left to the line-by-line alignment.
    /// </summary>
    private static bool Disjoint(IReadOnlyList<RenderedFunction> functions)
    {
        const int MaxFunctions = 64; // 2,016 pairs at most
        if (functions.Count > MaxFunctions)
        {
            return false;
        }

        for (int p = 0; p < functions.Count; p++)
        {
            var x = functions[p];
            for (int q = p + 1; q < functions.Count; q++)
            {
                var y = functions[q];
                if (x.Section == y.Section && x.InsnLines.Length > 0 && y.InsnLines.Length > 0
                    && x.StartInsn < y.StartInsn + y.InsnLines.Length && y.StartInsn < x.StartInsn + x.InsnLines.Length)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static long LineCount(IReadOnlyList<RenderedFunction> functions)
    {
        long lines = 0;
        for (int f = 0; f < functions.Count; f++)
        {
            lines += functions[f].Ids.Length;
        }

        return lines;
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
    private sealed class GapIds(IReadOnlyList<RenderedFunction> functionsA, IReadOnlyList<RenderedFunction> functionsB, GapScripts known, bool oneSpace)
    {
        private readonly int[] startsA = Starts(functionsA);
        private readonly int[] startsB = Starts(functionsB);
        private readonly Dictionary<int, int> dense = [];

        /// <summary>Whether every function's ids come from one cache (as a fixup's two listings do); else the texts are compared.</summary>
        public bool OneSpace => oneSpace;

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
