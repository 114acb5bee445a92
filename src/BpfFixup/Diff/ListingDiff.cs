// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>
/// Compares the program listings of two object files: programs are joined on
/// <see cref="ProgramListing.Key"/> (as veristat joins on file and program), each pair is diffed on
/// <see cref="ListingLine.Compare"/>, and programs present on one side only are added or removed. A key that
/// occurs again on one side (two functions of one name in a section, which a damaged symbol table gives, or
/// <c>a/b</c>+<c>c</c> against <c>a</c>+<c>b/c</c>) is told apart by its occurrence, <c>key#2</c>, <c>key#3</c>, so
/// the n-th program of a key on one side is compared with the n-th on the other.
/// </summary>
public static class ListingDiff
{
    /// <summary>Compares listing A (<paramref name="oldFile"/>) with listing B (<paramref name="newFile"/>).</summary>
    /// <param name="oldFile">Display name of file A, e.g. <c>a.o</c> (printed as given: pass a relative name).</param>
    /// <param name="oldPrograms">Programs of A.</param>
    /// <param name="newFile">Display name of file B.</param>
    /// <param name="newPrograms">Programs of B.</param>
    /// <param name="context">Context lines per hunk.</param>
    /// <param name="hunks">
    /// False to only tell equal from different (an ordinal line-by-line comparison, linear time; no diff is computed
    /// and <see cref="ProgramDiff.Hunks"/> stay empty): what the stat table, the CSV and <c>--quiet</c> need.
    /// </param>
    /// <returns>The per-program comparison, ordered by key (ordinal).</returns>
    public static ListingDiffResult Compare(
        string oldFile,
        IReadOnlyList<ProgramListing> oldPrograms,
        string newFile,
        IReadOnlyList<ProgramListing> newPrograms,
        int context = StreamDiffer.DefaultContext,
        bool hunks = true) => Compare(oldFile, oldPrograms, newFile, newPrograms, context, hunks, null);

    /// <summary>
    /// <see cref="Compare(string, IReadOnlyList{ProgramListing}, string, IReadOnlyList{ProgramListing}, int, bool)"/> with the
    /// alignment of a program present on both sides given by <paramref name="align"/> (an edit script from its old lines to
    /// its new ones, by <see cref="ListingLine.Compare"/>) instead of searched for: the fixup knows which line became which.
    /// </summary>
    internal static ListingDiffResult Compare(
        string oldFile,
        IReadOnlyList<ProgramListing> oldPrograms,
        string newFile,
        IReadOnlyList<ProgramListing> newPrograms,
        int context,
        bool hunks,
        Func<ProgramListing, ProgramListing, EditScript>? align)
    {
        ArgumentNullException.ThrowIfNull(oldFile);
        ArgumentNullException.ThrowIfNull(newFile);
        ArgumentOutOfRangeException.ThrowIfNegative(context);
        var oldByKey = ByKey(oldPrograms, nameof(oldPrograms));
        var newByKey = ByKey(newPrograms, nameof(newPrograms));
        var keys = new SortedSet<string>(oldByKey.Keys, StringComparer.Ordinal);
        keys.UnionWith(newByKey.Keys);

        var diffs = new List<ProgramDiff>(keys.Count);
        var interned = new LineIds(OneIdSpace(oldPrograms, newPrograms));
        foreach (var key in keys)
        {
            oldByKey.TryGetValue(key, out var a);
            newByKey.TryGetValue(key, out var b);
            diffs.Add(hunks ? CompareOne(key, a, b, context, align, interned) : CompareEquality(key, a, b, interned));
        }

        return new ListingDiffResult(oldFile, newFile, diffs);
    }

    private static ProgramDiff CompareOne(string key, ProgramListing? a, ProgramListing? b, int context, Func<ProgramListing, ProgramListing, EditScript>? align, LineIds interned)
    {
        if (a is not null && b is not null && align is null)
        {
            // The cheap pass first: most programs of two builds are equal, and equal id sequences have no hunks.
            return interned.Equal(a, b)
                ? new ProgramDiff(key, ProgramDiffStatus.Identical, a, b, [])
                : Changed(key, a, b, MyersDiff.Compute(interned.Of(a), interned.Of(b)), context);
        }

        var script = a is not null && b is not null ? align!(a, b) : MyersDiff.Compute(interned.Of(a), interned.Of(b));
        return Changed(key, a, b, script, context);
    }

    private static ProgramDiff Changed(string key, ProgramListing? a, ProgramListing? b, EditScript script, int context)
    {
        var hunks = StreamDiffer.Hunks(script, context);
        var status = (a, b) switch
        {
            (null, _) => ProgramDiffStatus.Added,
            (_, null) => ProgramDiffStatus.Removed,
            _ => script.HasChanges ? ProgramDiffStatus.Changed : ProgramDiffStatus.Identical,
        };
        return new ProgramDiff(key, status, a, b, hunks);
    }

    private static ProgramDiff CompareEquality(string key, ProgramListing? a, ProgramListing? b, LineIds interned)
    {
        var status = (a, b) switch
        {
            (null, _) => ProgramDiffStatus.Added,
            (_, null) => ProgramDiffStatus.Removed,
            _ => interned.Equal(a, b) ? ProgramDiffStatus.Identical : ProgramDiffStatus.Changed,
        };
        return new ProgramDiff(key, status, a, b, []);
    }

    /// <summary>
    /// Line ids (<see cref="ListingLine.Compare"/>, ordinal) shared by every program of one comparison, so that a run of
    /// lines several listings show (<see cref="ProgramListing.Segments"/>: a subprogram) is hashed once, not once per
    /// program. Ids only ever compare for equality (<see cref="MyersDiff"/>), so one table for all programs gives the
    /// edit scripts a table per program gives.
    /// </summary>
    private sealed class LineIds(bool renderedIds)
    {
        private readonly Dictionary<string, int> ids = new(StringComparer.Ordinal);
        private readonly Dictionary<IReadOnlyList<ListingLine>, int[]> bySegment = new(ReferenceEqualityComparer.Instance);

        /// <summary>
        /// Whether <paramref name="a"/> and <paramref name="b"/> have the same ids (<see cref="Of"/>), read from their
        /// runs where those are the ids already, instead of copied into two arrays of every line first.
        /// </summary>
        public bool Equal(ProgramListing a, ProgramListing b)
        {
            if (!renderedIds)
            {
                return Of(a).AsSpan().SequenceEqual(Of(b));
            }

            if (a.Lines.Count != b.Lines.Count)
            {
                return false;
            }

            var runsA = a.SegmentIds!;
            var runsB = b.SegmentIds!;
            int ra = 0, rb = 0, at = 0, bt = 0;
            while (true)
            {
                // Past empty runs and runs read to their end; the counts are equal, so both sides end together.
                while (ra < runsA.Count && at == runsA[ra].Length)
                {
                    ra++;
                    at = 0;
                }

                while (rb < runsB.Count && bt == runsB[rb].Length)
                {
                    rb++;
                    bt = 0;
                }

                if (ra == runsA.Count || rb == runsB.Count)
                {
                    return true;
                }

                int n = Math.Min(runsA[ra].Length - at, runsB[rb].Length - bt);
                if (!(ReferenceEquals(runsA[ra], runsB[rb]) && at == bt) && !runsA[ra].AsSpan(at, n).SequenceEqual(runsB[rb].AsSpan(bt, n)))
                {
                    return false;
                }

                at += n;
                bt += n;
            }
        }

        public int[] Of(ProgramListing? program)
        {
            if (program is null)
            {
                return [];
            }

            var result = new int[program.Lines.Count];
            if (renderedIds)
            {
                // Every listing's ids come from one space (checked by OneIdSpace): they are the line ids already.
                int at = 0;
                foreach (var segmentIds in program.SegmentIds!)
                {
                    segmentIds.CopyTo(result, at);
                    at += segmentIds.Length;
                }

                return result;
            }

            if (program.HasSegments && program.Segments is { } segments && segments.Sum(s => s.Count) == result.Length)
            {
                int at = 0;
                foreach (var segment in segments)
                {
                    if (!bySegment.TryGetValue(segment, out var segmentIds))
                    {
                        segmentIds = new int[segment.Count];
                        Intern(segment, segmentIds);
                        bySegment.Add(segment, segmentIds);
                    }

                    segmentIds.CopyTo(result, at);
                    at += segmentIds.Length;
                }

                return result;
            }

            Intern(program.Lines, result);
            return result;
        }

        private void Intern(IReadOnlyList<ListingLine> lines, int[] into)
        {
            for (int i = 0; i < into.Length; i++)
            {
                string line = lines[i].Compare;
                if (!ids.TryGetValue(line, out int id))
                {
                    id = ids.Count;
                    ids.Add(line, id);
                }

                into[i] = id;
            }
        }
    }

    /// <summary>Whether every listing carries ids for all its lines from one and the same space (<see cref="ProgramListing.IdSpace"/>).</summary>
    private static bool OneIdSpace(IReadOnlyList<ProgramListing> oldPrograms, IReadOnlyList<ProgramListing> newPrograms)
    {
        object? space = null;
        foreach (var program in oldPrograms.Concat(newPrograms))
        {
            if (program.IdSpace is null || !program.HasSegments || program.SegmentIds is not { } segmentIds || segmentIds.Sum(s => s.Length) != program.Lines.Count || (space is not null && !ReferenceEquals(space, program.IdSpace)))
            {
                return false;
            }

            space = program.IdSpace;
        }

        return true;
    }

    private static Dictionary<string, ProgramListing> ByKey(IReadOnlyList<ProgramListing> programs, string paramName)
    {
        ArgumentNullException.ThrowIfNull(programs, paramName);
        var byKey = new Dictionary<string, ProgramListing>(StringComparer.Ordinal);
        foreach (var program in programs)
        {
            string key = program.Key;
            for (int n = 2; !byKey.TryAdd(key, program); n++)
            {
                key = program.Key + "#" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return byKey;
    }
}
