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
    private readonly int[] ends; // ends[p]: lines in parts[0..p]

    /// <summary>Lines of <paramref name="parts"/> in order, each run's whole count (a run with count 0 adds nothing).</summary>
    public HunkLineList(EditRun[] parts)
    {
        this.parts = parts;
        ends = new int[parts.Length];
        long total = 0;
        for (int p = 0; p < parts.Length; p++)
        {
            total += parts[p].Count;
            ends[p] = (int)Math.Min(total, Array.MaxLength);
        }

        Count = parts.Length == 0 ? 0 : ends[^1];
    }

    /// <inheritdoc />
    public int Count { get; }

    /// <summary>The runs the lines are read from, in order.</summary>
    internal ReadOnlySpan<EditRun> Parts => parts;

    /// <inheritdoc />
    public HunkLine this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            int p = Array.BinarySearch(ends, index);
            p = p >= 0 ? p + 1 : ~p; // the first part that ends after index
            while (parts[p].Count == 0)
            {
                p++;
            }

            return LineOf(parts[p], index - (ends[p] - parts[p].Count));
        }
    }

    /// <summary>The lines in order, read run by run.</summary>
    public Enumerator GetEnumerator() => new(parts);

    IEnumerator<HunkLine> IEnumerable<HunkLine>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

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
        private int part;
        private int offset;

        internal Enumerator(EditRun[] parts)
        {
            this.parts = parts;
            part = 0;
            offset = -1;
        }

        /// <inheritdoc />
        public readonly HunkLine Current => LineOf(parts[part], offset);

        readonly object IEnumerator.Current => Current;

        /// <inheritdoc />
        public bool MoveNext()
        {
            offset++;
            while (part < parts.Length && offset >= parts[part].Count)
            {
                part++;
                offset = 0;
            }

            return part < parts.Length;
        }

        /// <inheritdoc />
        public void Reset()
        {
            part = 0;
            offset = -1;
        }

        /// <inheritdoc />
        public readonly void Dispose()
        {
        }
    }
}
