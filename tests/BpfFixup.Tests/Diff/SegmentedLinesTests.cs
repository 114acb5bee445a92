// SPDX-License-Identifier: MIT
using BpfFixup.Diff;

namespace BpfFixup.Tests.Diff;

public sealed class SegmentedLinesTests
{
    [Fact]
    public void Reads_the_concatenation_of_its_runs_in_any_order()
    {
        var segments = new List<IReadOnlyList<ListingLine>>();
        int n = 0;
        foreach (int size in new[] { 1, 5, 0, 3, 8, 1, 0, 0, 2 })
        {
            segments.Add(Enumerable.Range(0, size).Select(_ => new ListingLine("l" + n++)).ToList());
        }

        var lines = new SegmentedLines(segments);
        var expected = segments.SelectMany(s => s).ToList();
        Assert.Equal(expected.Count, lines.Count);
        Assert.Equal(expected, lines.ToList());
        Assert.Equal(expected, Enumerable.Range(0, lines.Count).Select(i => lines[i]).ToList());
        // Backwards and jumping about: the hint of the last run read never changes what is read.
        var random = new Random(11);
        for (int k = 0; k < 200; k++)
        {
            int i = k % 3 == 0 ? lines.Count - 1 - (k % lines.Count) : random.Next(lines.Count);
            Assert.Same(expected[i], lines[i]);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => lines[lines.Count]);
        Assert.Throws<ArgumentOutOfRangeException>(() => lines[-1]);
        Assert.Empty(new SegmentedLines([]));
    }

    [Fact]
    public void Locate_gives_the_run_of_a_line_and_the_lines_left_in_it()
    {
        var segments = new List<IReadOnlyList<ListingLine>>();
        int n = 0;
        foreach (int size in new[] { 2, 0, 0, 3, 1 })
        {
            segments.Add(Enumerable.Range(0, size).Select(_ => new ListingLine("l" + n++)).ToList());
        }

        var lines = new SegmentedLines(segments);
        foreach (int i in new[] { 4, 0, 1, 2, 5, 3 })
        {
            var (run, offset, available) = lines.Locate(i);
            Assert.Same(lines[i], run[offset]);
            Assert.Equal(run.Count - offset, available);
            Assert.Same(segments.First(s => s.Contains(lines[i])), run); // never an empty run that starts there
        }

        Assert.Equal((segments[3], 0, 3), lines.Locate(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => lines.Locate(6));
    }
}
