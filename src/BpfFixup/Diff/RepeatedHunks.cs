// SPDX-License-Identifier: MIT
using System.Runtime.CompilerServices;

namespace BpfFixup.Diff;

/// <summary>
/// Which hunks of a long diff are one line instead (issue 11): a subprogram that many programs reach (a <c>.text</c>
/// helper of thousands of program sections) shows its hunks again in the diff of every one of them, so the output
/// grew as programs × subprogram, not as the input. Every hunk is printed in full until the output holds
/// <see cref="Multiple"/> lines per line of the two listings (each function's lines counted once, however many
/// programs show it) plus <see cref="Allowance"/>; after that, a program's hunks in one function that an earlier
/// program printed the same way are one note instead (as <c>check</c>'s listing shortens repeated call sites).
/// "The same way" is everything the hunks print: the same function on each side (one rendering shared by both
/// programs, so the same lines), the same hunks at the same lines counted from the function's first line on each
/// side, the same line kinds. Only what the hunk's position in its program decides may differ: the line numbers in
/// the <c>@@</c> header and the function name git's rule takes from the lines above the hunk (<see cref="FunctionNames"/>:
/// the program's own name for a hunk that starts at the function's first line). A hunk that runs over the function's
/// edge on either side is always printed. Both the unified text and the JSON follow the one plan, made program by program
/// in key order. Up to <see cref="Kept"/> different diffs of each function are kept to compare with.
/// </summary>
internal sealed class RepeatedHunks
{
    /// <summary>
    /// Output lines printed in full per line of the two listings before repeated hunks become one note: a diff that
    /// shows each function once is at most about as long as the two listings (every line deleted and inserted), so
    /// this leaves room for every function to be shown twice; an object whose programs share no function has no
    /// repeat, whatever its length.
    /// </summary>
    public const int Multiple = 2;

    /// <summary>Output lines printed in full beyond <see cref="Multiple"/> per listing line.</summary>
    public const int Allowance = 4096;

    private const int Kept = 4;
    private readonly Dictionary<(object Old, object New), List<Printed>> printed = new(SegmentPairs.Instance);
    private readonly long budget;
    private long written;

    /// <summary>A plan for <paramref name="result"/>'s programs, to be asked for each in order.</summary>
    public RepeatedHunks(ListingDiffResult result) => budget = Budget(result);

    /// <summary>
    /// The output budget of <paramref name="result"/>: <see cref="Multiple"/> × the lines of its listings (a run shared
    /// by several listings, <see cref="ProgramListing.Segments"/>, counted once) + <see cref="Allowance"/>.
    /// </summary>
    public static long Budget(ListingDiffResult result)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        long lines = 0;
        foreach (var p in result.Programs)
        {
            foreach (var side in (ReadOnlySpan<ProgramListing?>)[p.Old, p.New])
            {
                if (side is null || seen.Contains(side))
                {
                    continue;
                }

                seen.Add(side);
                if (!side.HasSegments)
                {
                    lines += side.Lines.Count;
                    continue;
                }

                foreach (var segment in side.Segments!)
                {
                    if (seen.Add(segment))
                    {
                        lines += segment.Count;
                    }
                }
            }
        }

        return (Multiple * lines) + Allowance;
    }

    /// <summary>
    /// The runs of <paramref name="p"/>'s hunks that are one note each, in order (none below the budget); call once per
    /// program, in the order they are printed, for every program that prints (changed, added or removed).
    /// </summary>
    /// <param name="p">The program.</param>
    public IReadOnlyList<Repeat> Plan(ProgramDiff p)
    {
        written += (p.New ?? p.Old)!.Header.Count + 2; // the headers, then ---/+++
        var blocks = Blocks(p);
        var repeats = new List<Repeat>();
        int next = 0;
        foreach (var block in blocks)
        {
            for (; next < block.Start; next++)
            {
                written += 1 + p.Hunks[next].Lines.Count;
            }

            var here = new Printed(p, block.Start, block.End, block.OldFrom, block.NewFrom);
            if (!printed.TryGetValue((block.OldSegment, block.NewSegment), out var earlier))
            {
                printed[(block.OldSegment, block.NewSegment)] = earlier = [];
            }

            var same = written >= budget ? earlier.FirstOrDefault(e => e.SameAs(here)) : null;
            if (same is not null)
            {
                written++;
                repeats.Add(new Repeat(block.Start, block.End, FunctionName(block.OldSegment), same.Program.Key));
            }
            else
            {
                for (int h = block.Start; h < block.End; h++)
                {
                    written += 1 + p.Hunks[h].Lines.Count;
                }

                if (earlier.Count < Kept)
                {
                    earlier.Add(here);
                }
            }

            next = block.End;
        }

        for (; next < p.Hunks.Count; next++)
        {
            written += 1 + p.Hunks[next].Lines.Count;
        }

        return repeats;
    }

    /// <summary>The name of the function a run shows: its first line without the colon.</summary>
    private static string FunctionName(IReadOnlyList<ListingLine> segment)
    {
        string first = segment.Count > 0 ? segment[0].Text : string.Empty;
        return first.EndsWith(':') ? first[..^1] : first;
    }

    /// <summary>
    /// The runs of <paramref name="p"/>'s hunks that lie, on each side, inside one function: consecutive hunks inside the
    /// same pair of functions. None for a program on one side only or a listing without its functions' runs.
    /// </summary>
    private static List<Block> Blocks(ProgramDiff p)
    {
        var blocks = new List<Block>();
        if (p.Old is not { HasSegments: true } a || p.New is not { HasSegments: true } b)
        {
            return blocks;
        }

        var startsA = Starts(a.Segments!);
        var startsB = Starts(b.Segments!);
        Block? open = null;
        for (int h = 0; h < p.Hunks.Count; h++)
        {
            var hunk = p.Hunks[h];
            int sa = Within(startsA, a.Segments!, hunk.OldStart, hunk.OldCount);
            int sb = Within(startsB, b.Segments!, hunk.NewStart, hunk.NewCount);
            if (sa < 0 || sb < 0)
            {
                Close(blocks, ref open);
                continue;
            }

            if (open is { } o && ReferenceEquals(o.OldSegment, a.Segments![sa]) && ReferenceEquals(o.NewSegment, b.Segments![sb]))
            {
                open = o with { End = h + 1 };
                continue;
            }

            Close(blocks, ref open);
            open = new Block(h, h + 1, a.Segments![sa], startsA[sa], b.Segments![sb], startsB[sb]);
        }

        Close(blocks, ref open);
        return blocks;
    }

    private static void Close(List<Block> blocks, ref Block? open)
    {
        if (open is { } o)
        {
            blocks.Add(o);
        }

        open = null;
    }

    private static int[] Starts(IReadOnlyList<IReadOnlyList<ListingLine>> segments)
    {
        var starts = new int[segments.Count];
        for (int s = 0, at = 0; s < segments.Count; s++)
        {
            starts[s] = at;
            at += segments[s].Count;
        }

        return starts;
    }

    /// <summary>
    /// The run that holds lines [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>), or -1;
    /// an empty range (a hunk of insertions only) must lie between two lines of one run.
    /// </summary>
    private static int Within(int[] starts, IReadOnlyList<IReadOnlyList<ListingLine>> segments, int start, int count)
    {
        int first = count > 0 ? start : start - 1; // an empty range: the line before it and the line after
        int last = count > 0 ? start + count - 1 : start;
        if (first < 0)
        {
            return -1;
        }

        int s = Array.BinarySearch(starts, first);
        s = s >= 0 ? s : ~s - 1;
        while (s < segments.Count && first - starts[s] >= segments[s].Count)
        {
            s++; // past empty runs that start where this one does
        }

        return s < segments.Count && s >= 0 && last - starts[s] < segments[s].Count ? s : -1;
    }

    /// <summary>Hunks [<paramref name="Start"/>, <paramref name="End"/>) of a program, one note <c>Function: N hunk(s) as shown for program ListedFor</c>.</summary>
    /// <param name="Start">The first hunk left out.</param>
    /// <param name="End">The hunk after the last left out.</param>
    /// <param name="Function">The function they are in (its name as its first line shows it).</param>
    /// <param name="ListedFor">The key of the earlier program whose diff shows them.</param>
    internal readonly record struct Repeat(int Start, int End, string Function, string ListedFor)
    {
        /// <summary>How many hunks the note stands for.</summary>
        public int Count => End - Start;
    }

    private readonly record struct Block(int Start, int End, IReadOnlyList<ListingLine> OldSegment, int OldFrom, IReadOnlyList<ListingLine> NewSegment, int NewFrom);

    /// <summary>Hunks [Start, End) of <paramref name="Program"/> printed in full, inside functions starting at OldFrom/NewFrom.</summary>
    private sealed record Printed(ProgramDiff Program, int Start, int End, int OldFrom, int NewFrom)
    {
        /// <summary>Whether <paramref name="other"/> prints the same lines and changes, at the same places in the function.</summary>
        public bool SameAs(Printed other)
        {
            if (End - Start != other.End - other.Start)
            {
                return false;
            }

            for (int k = 0; k < End - Start; k++)
            {
                var x = Program.Hunks[Start + k];
                var y = other.Program.Hunks[other.Start + k];
                if (x.OldStart - OldFrom != y.OldStart - other.OldFrom || x.OldCount != y.OldCount
                    || x.NewStart - NewFrom != y.NewStart - other.NewFrom || x.NewCount != y.NewCount
                    || !SameLines(x.Lines, OldFrom, NewFrom, y.Lines, other.OldFrom, other.NewFrom))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool SameLines(IReadOnlyList<HunkLine> x, int oldX, int newX, IReadOnlyList<HunkLine> y, int oldY, int newY)
        {
            if (x is HunkLineList runsX && y is HunkLineList runsY)
            {
                var px = runsX.Parts;
                var py = runsY.Parts;
                if (px.Length != py.Length)
                {
                    return false;
                }

                for (int r = 0; r < px.Length; r++)
                {
                    if (px[r].Kind != py[r].Kind || px[r].Count != py[r].Count
                        || px[r].OldIndex - oldX != py[r].OldIndex - oldY || px[r].NewIndex - newX != py[r].NewIndex - newY)
                    {
                        return false;
                    }
                }

                return true;
            }

            if (x.Count != y.Count)
            {
                return false;
            }

            for (int i = 0; i < x.Count; i++)
            {
                var (lx, ly) = (x[i], y[i]);
                // A side a line does not show is -1 on both, and so compares equal whatever the offsets.
                if (lx.Kind != ly.Kind || (lx.Kind != EditKind.Insert && lx.OldIndex - oldX != ly.OldIndex - oldY)
                    || (lx.Kind != EditKind.Delete && lx.NewIndex - newX != ly.NewIndex - newY))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Pairs of runs by identity: a run is one function as rendered, shared by every listing that shows it.</summary>
    private sealed class SegmentPairs : IEqualityComparer<(object Old, object New)>
    {
        public static readonly SegmentPairs Instance = new();

        public bool Equals((object Old, object New) x, (object Old, object New) y) => ReferenceEquals(x.Old, y.Old) && ReferenceEquals(x.New, y.New);

        public int GetHashCode((object Old, object New) obj) => HashCode.Combine(RuntimeHelpers.GetHashCode(obj.Old), RuntimeHelpers.GetHashCode(obj.New));
    }
}
