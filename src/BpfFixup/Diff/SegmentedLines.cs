// SPDX-License-Identifier: MIT
using System.Collections;

namespace BpfFixup.Diff;

/// <summary>
/// A program's lines as the runs the renderer made (one per function, each shared by every program that shows it),
/// read through instead of copied into one list: a program that reaches large subprograms would otherwise copy
/// them once per program, and those copies are large-object allocations (each one a full collection's worth of
/// budget). Indexing finds the run by its start (the last run found is tried first, as reads mostly go forwards).
/// </summary>
internal sealed class SegmentedLines : IReadOnlyList<ListingLine>
{
    private readonly IReadOnlyList<ListingLine>[] segments;
    private readonly int[] starts;
    private int last; // a hint only: every read checks it

    /// <summary>The lines of <paramref name="segments"/>, in order.</summary>
    public SegmentedLines(IReadOnlyList<IReadOnlyList<ListingLine>> segments)
    {
        this.segments = [.. segments];
        starts = new int[this.segments.Length];
        int at = 0;
        for (int s = 0; s < this.segments.Length; s++)
        {
            starts[s] = at;
            at = checked(at + this.segments[s].Count);
        }

        Count = at;
    }

    /// <inheritdoc />
    public int Count { get; }

    /// <inheritdoc />
    public ListingLine this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index));
            }

            int s = last;
            if (index < starts[s] || index - starts[s] >= segments[s].Count)
            {
                s = Array.BinarySearch(starts, index);
                s = s >= 0 ? s : ~s - 1;
                while (index - starts[s] >= segments[s].Count)
                {
                    s++; // past empty runs that start where this one does
                }

                last = s;
            }

            return segments[s][index - starts[s]];
        }
    }

    /// <summary>
    /// The run that holds line <paramref name="index"/>, where in it that line is, and how many lines of the run
    /// follow from there: a caller reading a stretch of lines reads them from the run, not one index at a time.
    /// </summary>
    internal (IReadOnlyList<ListingLine> Run, int Offset, int Available) Locate(int index)
    {
        _ = this[index]; // checks the index, and leaves the run that holds it in the hint
        int s = last;
        int offset = index - starts[s];
        return (segments[s], offset, segments[s].Count - offset);
    }

    /// <inheritdoc />
    public IEnumerator<ListingLine> GetEnumerator()
    {
        foreach (var segment in segments)
        {
            foreach (var line in segment)
            {
                yield return line;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
