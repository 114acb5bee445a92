// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>
/// Line diff of two sequences (Myers O(ND), linear space, bounded cost as in git's xdiff: see MyersDiff) and
/// grouping of the result into unified-diff hunks. Lines compare by ordinal string equality,
/// or by a caller's comparer.
/// </summary>
public static class StreamDiffer
{
    /// <summary>The default number of context lines (as <c>diff -u</c>).</summary>
    public const int DefaultContext = 3;

    /// <summary>Diffs two string sequences line by line, ordinally.</summary>
    /// <param name="oldLines">Sequence A.</param>
    /// <param name="newLines">Sequence B.</param>
    /// <returns>An edit script from A to B: minimal unless that would cost more than about √(N+M) edits per split.</returns>
    public static EditScript Diff(IReadOnlyList<string> oldLines, IReadOnlyList<string> newLines)
        => Diff(oldLines, newLines, StringComparer.Ordinal);

    /// <summary>Diffs two sequences, comparing items with <paramref name="comparer"/>.</summary>
    /// <typeparam name="T">Item type.</typeparam>
    /// <param name="oldItems">Sequence A.</param>
    /// <param name="newItems">Sequence B.</param>
    /// <param name="comparer">Equality (and hash) used to match items.</param>
    /// <returns>An edit script from A to B: minimal unless that would cost more than about √(N+M) edits per split.</returns>
    public static EditScript Diff<T>(IReadOnlyList<T> oldItems, IReadOnlyList<T> newItems, IEqualityComparer<T> comparer)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(oldItems);
        ArgumentNullException.ThrowIfNull(newItems);
        var ids = new Dictionary<T, int>(comparer);
        return MyersDiff.Compute(Intern(oldItems, ids), Intern(newItems, ids));
    }

    /// <summary>
    /// Groups an edit script into hunks with <paramref name="context"/> equal lines around each change;
    /// changes separated by at most 2·context equal lines share a hunk (as GNU diff does).
    /// </summary>
    /// <param name="script">The script.</param>
    /// <param name="context">Context lines, 0 or more.</param>
    /// <returns>The hunks, empty when nothing changed.</returns>
    public static IReadOnlyList<DiffHunk> Hunks(EditScript script, int context = DefaultContext)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentOutOfRangeException.ThrowIfNegative(context);
        var runs = script.Runs;

        // Two passes over the runs: the first counts the hunks and their runs, so that the hunks of the script share
        // one array of runs (each hunk a slice of it) and the list of hunks is one array of its exact size, instead of
        // an array per hunk and a list grown by doubling (a fixup's diff has hunks by the hundred thousand, all kept
        // until printed: each object more for every collection to copy).
        int hunkCount = 0, partCount = 0;
        for (int r = 0; NextHunk(runs, ref r, context, out int first, out int last);)
        {
            hunkCount++;
            partCount += PartCount(runs, first, last, context);
        }

        if (hunkCount == 0)
        {
            return [];
        }

        var hunks = new DiffHunk[hunkCount];
        var parts = new EditRun[partCount];
        int h = 0, at = 0;
        for (int r = 0; NextHunk(runs, ref r, context, out int first, out int last);)
        {
            int n = PartCount(runs, first, last, context);
            hunks[h++] = BuildHunk(runs, first, last, context, parts, at);
            at += n;
        }

        return hunks;
    }

    /// <summary>
    /// The runs [<paramref name="first"/>, <paramref name="last"/>] of the next hunk from run <paramref name="r"/> on,
    /// leaving <paramref name="r"/> past them; false when no change is left.
    /// </summary>
    private static bool NextHunk(IReadOnlyList<EditRun> runs, ref int r, int context, out int first, out int last)
    {
        while (r < runs.Count && runs[r].Kind == EditKind.Equal)
        {
            r++;
        }

        first = last = r;
        if (r >= runs.Count)
        {
            return false;
        }

        // runs[r] is the first change of a new hunk; find the last change that joins it.
        for (var s = r + 1; s < runs.Count; s++)
        {
            if (runs[s].Kind != EditKind.Equal)
            {
                last = s;
            }
            else if (s + 1 < runs.Count && runs[s].Count <= 2 * context)
            {
                continue;
            }
            else
            {
                break;
            }
        }

        r = last + 1;
        return true;
    }

    private static (int Lead, int Trail) LeadTrail(IReadOnlyList<EditRun> runs, int first, int last, int context) =>
        (first > 0 ? Math.Min(context, runs[first - 1].Count) : 0, last + 1 < runs.Count ? Math.Min(context, runs[last + 1].Count) : 0);

    /// <summary>The runs of the hunk of runs [<paramref name="first"/>, <paramref name="last"/>]: those, and the context around them.</summary>
    private static int PartCount(IReadOnlyList<EditRun> runs, int first, int last, int context)
    {
        var (lead, trail) = LeadTrail(runs, first, last, context);
        return (lead > 0 ? 1 : 0) + (last - first + 1) + (trail > 0 ? 1 : 0);
    }

    private static DiffHunk BuildHunk(IReadOnlyList<EditRun> runs, int first, int last, int context, EditRun[] parts, int from)
    {
        var (lead, trail) = LeadTrail(runs, first, last, context);
        var oldStart = runs[first].OldIndex - lead;
        var newStart = runs[first].NewIndex - lead;
        // The hunk's lines as runs (the lead and trail are the ends of the equal runs around it), not line by line
        // (a hunk of a fixup's diff can hold a run per call site of a program).
        int at = from;
        if (lead > 0)
        {
            parts[at++] = new EditRun(EditKind.Equal, oldStart, newStart, lead);
        }

        for (var s = first; s <= last; s++)
        {
            parts[at++] = runs[s];
        }

        if (trail > 0)
        {
            parts[at++] = runs[last + 1] with { Count = trail };
        }

        long oldCount = 0, newCount = 0;
        for (int p = from; p < at; p++)
        {
            oldCount += parts[p].Kind == EditKind.Insert ? 0 : parts[p].Count;
            newCount += parts[p].Kind == EditKind.Delete ? 0 : parts[p].Count;
        }

        return new DiffHunk(oldStart, (int)oldCount, newStart, (int)newCount, new HunkLineList(parts, from, at - from));
    }

    private static int[] Intern<T>(IReadOnlyList<T> items, Dictionary<T, int> ids)
        where T : notnull
    {
        var result = new int[items.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var item = items[i];
            if (!ids.TryGetValue(item, out var id))
            {
                id = ids.Count;
                ids.Add(item, id);
            }

            result[i] = id;
        }

        return result;
    }
}
