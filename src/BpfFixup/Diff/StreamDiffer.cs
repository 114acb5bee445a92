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
        var hunks = new List<DiffHunk>();
        var runs = script.Runs;
        var r = 0;
        while (r < runs.Count)
        {
            if (runs[r].Kind == EditKind.Equal)
            {
                r++;
                continue;
            }

            // runs[r] is the first change of a new hunk; find the last change that joins it.
            var first = r;
            var last = r;
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

            hunks.Add(BuildHunk(runs, first, last, context));
            r = last + 1;
        }

        return hunks;
    }

    private static DiffHunk BuildHunk(IReadOnlyList<EditRun> runs, int first, int last, int context)
    {
        var lead = first > 0 ? Math.Min(context, runs[first - 1].Count) : 0;
        var trail = last + 1 < runs.Count ? Math.Min(context, runs[last + 1].Count) : 0;
        var oldStart = runs[first].OldIndex - lead;
        var newStart = runs[first].NewIndex - lead;
        // The hunk's lines as runs (the lead and trail are the ends of the equal runs around it), not line by line,
        // in one array of their exact number (a hunk of a fixup's diff can hold a run per call site of a program).
        var parts = new EditRun[(lead > 0 ? 1 : 0) + (last - first + 1) + (trail > 0 ? 1 : 0)];
        int at = 0;
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
            parts[at] = runs[last + 1] with { Count = trail };
        }

        long oldCount = 0, newCount = 0;
        foreach (var part in parts)
        {
            oldCount += part.Kind == EditKind.Insert ? 0 : part.Count;
            newCount += part.Kind == EditKind.Delete ? 0 : part.Count;
        }

        return new DiffHunk(oldStart, (int)oldCount, newStart, (int)newCount, new HunkLineList(parts));
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
