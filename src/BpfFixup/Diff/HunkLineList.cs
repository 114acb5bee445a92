// SPDX-License-Identifier: MIT
using System.Collections;

namespace BpfFixup.Diff;

/// <summary>
/// The lines of one hunk read from the runs it covers instead of stored one by one: a hunk of a listing diff can hold
/// a whole program (a fixup inlines a site every few lines, and GNU diff's rule joins changes 2·context apart), so
/// storing a <see cref="HunkLine"/> per line made the diff of every program as large again as its listings.
/// </summary>
internal sealed class HunkLineList : IReadOnlyList<HunkLine>
{
    private readonly EditRun[] parts;
    private readonly int offset;
    private readonly int length;
    private int[]? ends; // ends[p]: lines in parts[offset..offset+p]; made by the first index, which few callers use

    /// <summary>Lines of <paramref name="parts"/> in order, each run's whole count (a run with count 0 adds nothing).</summary>
    public HunkLineList(EditRun[] parts)
        : this(parts, 0, parts.Length)
    {
    }

    /// <summary>
    /// Lines of <paramref name="parts"/>[<paramref name="offset"/>..<paramref name="offset"/>+<paramref name="length"/>)
    /// in order: the hunks of one script share one array of their runs (<see cref="StreamDiffer.Hunks"/>), not one each.
    /// </summary>
    public HunkLineList(EditRun[] parts, int offset, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)offset + (ulong)(uint)length, (ulong)parts.Length, nameof(length));
        this.parts = parts;
        this.offset = offset;
        this.length = length;
        long total = 0;
        for (int p = 0; p < length; p++)
        {
            total += parts[offset + p].Count;
        }

        Count = (int)Math.Min(total, Array.MaxLength);
    }

    /// <inheritdoc />
    public int Count { get; }

    /// <summary>The runs the lines are read from, in order.</summary>
    internal ReadOnlySpan<EditRun> Parts => parts.AsSpan(offset, length);

    /// <inheritdoc />
    public HunkLine this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var runs = Parts;
            var at = ends ??= Ends(runs);
            int p = Array.BinarySearch(at, index);
            p = p >= 0 ? p + 1 : ~p; // the first part that ends after index
            while (runs[p].Count == 0)
            {
                p++;
            }

            return LineOf(runs[p], index - (at[p] - runs[p].Count));
        }
    }

    /// <summary>The lines in order, read run by run.</summary>
    public Enumerator GetEnumerator() => new(parts, offset, length);

    IEnumerator<HunkLine> IEnumerable<HunkLine>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static int[] Ends(ReadOnlySpan<EditRun> runs)
    {
        var ends = new int[runs.Length];
        long total = 0;
        for (int p = 0; p < runs.Length; p++)
        {
            total += runs[p].Count;
            ends[p] = (int)Math.Min(total, Array.MaxLength);
        }

        return ends;
    }

    /// <summary>Line <paramref name="offset"/> of <paramref name="run"/>.</summary>
    private static HunkLine LineOf(EditRun run, int offset) => run.Kind switch
    {
        EditKind.Delete => new HunkLine(EditKind.Delete, run.OldIndex + offset, -1),
        EditKind.Insert => new HunkLine(EditKind.Insert, -1, run.NewIndex + offset),
        _ => new HunkLine(EditKind.Equal, run.OldIndex + offset, run.NewIndex + offset),
    };

    /// <summary>Walks the lines run by run.</summary>
    public struct Enumerator : IEnumerator<HunkLine>
    {
        private readonly EditRun[] parts;
        private readonly int start;
        private readonly int end;
        private int part;
        private int offset;

        internal Enumerator(EditRun[] parts, int start, int length)
        {
            this.parts = parts;
            this.start = start;
            end = start + length;
            part = start;
            offset = -1;
        }

        /// <inheritdoc />
        public readonly HunkLine Current => LineOf(parts[part], offset);

        readonly object IEnumerator.Current => Current;

        /// <inheritdoc />
        public bool MoveNext()
        {
            offset++;
            while (part < end && offset >= parts[part].Count)
            {
                part++;
                offset = 0;
            }

            return part < end;
        }

        /// <inheritdoc />
        public void Reset()
        {
            part = start;
            offset = -1;
        }

        /// <inheritdoc />
        public readonly void Dispose()
        {
        }
    }
}
