// SPDX-License-Identifier: MIT
using BpfFixup.Diff;

namespace BpfFixup.Tests.Diff;

public sealed class HunkLineListTests
{
    private static IEnumerable<HunkLine> Expand(IEnumerable<EditRun> runs)
    {
        foreach (var run in runs)
        {
            for (int i = 0; i < run.Count; i++)
            {
                yield return run.Kind switch
                {
                    EditKind.Delete => new HunkLine(EditKind.Delete, run.OldIndex + i, -1),
                    EditKind.Insert => new HunkLine(EditKind.Insert, -1, run.NewIndex + i),
                    _ => new HunkLine(EditKind.Equal, run.OldIndex + i, run.NewIndex + i),
                };
            }
        }
    }

    [Fact]
    public void Index_and_enumeration_give_the_lines_of_each_run_in_order()
    {
        EditRun[] parts =
        [
            new(EditKind.Equal, 4, 7, 3),
            new(EditKind.Delete, 7, 10, 1),
            new(EditKind.Insert, 8, 10, 4),
            new(EditKind.Equal, 8, 14, 6),
            new(EditKind.Delete, 14, 20, 2),
            new(EditKind.Equal, 16, 20, 3),
        ];
        var list = new HunkLineList(parts);
        var expected = Expand(parts).ToList();

        Assert.Equal(expected.Count, list.Count);
        Assert.Equal(expected, list.ToList());
        Assert.Equal(expected, Enumerable.Range(0, list.Count).Select(i => list[i]).ToList());
        Assert.Equal(expected, ((IEnumerable<HunkLine>)list).ToList());
        Assert.Throws<ArgumentOutOfRangeException>(() => list[list.Count]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[-1]);

        // A slice of a longer array (the hunks of one script share one) reads only its own runs.
        EditRun[] shared = [new(EditKind.Insert, 0, 0, 5), .. parts, new(EditKind.Delete, 19, 23, 2)];
        var slice = new HunkLineList(shared, 1, parts.Length);
        Assert.Equal(expected, slice.ToList());
        Assert.Equal(expected, Enumerable.Range(0, slice.Count).Select(i => slice[i]).ToList());
        Assert.Equal(parts, slice.Parts.ToArray());
    }

    [Fact]
    public void Hunks_of_a_script_hold_the_lines_a_line_by_line_expansion_gives()
    {
        // Changes every few lines, as a fixup makes them: hunks join across short equal runs.
        var a = Enumerable.Range(0, 200).Select(i => i % 7 == 3 ? "call f" : "r" + i).ToArray();
        var b = a.SelectMany(l => l == "call f" ? new[] { "x1", "x2" } : [l]).ToArray();
        var script = StreamDiffer.Diff(a, b);
        foreach (int context in new[] { 0, 1, 3, 10 })
        {
            var hunks = StreamDiffer.Hunks(script, context);
            Assert.NotEmpty(hunks);
            foreach (var hunk in hunks)
            {
                var lines = hunk.Lines.ToList();
                Assert.Equal(hunk.OldCount, lines.Count(l => l.Kind != EditKind.Insert));
                Assert.Equal(hunk.NewCount, lines.Count(l => l.Kind != EditKind.Delete));
                Assert.Equal(lines, Enumerable.Range(0, hunk.Lines.Count).Select(i => hunk.Lines[i]).ToList());
                // Each line is where the hunk's counters say it is.
                int oldAt = hunk.OldStart, newAt = hunk.NewStart;
                foreach (var line in lines)
                {
                    if (line.Kind != EditKind.Insert)
                    {
                        Assert.Equal(oldAt++, line.OldIndex);
                    }

                    if (line.Kind != EditKind.Delete)
                    {
                        Assert.Equal(newAt++, line.NewIndex);
                    }

                    if (line.Kind == EditKind.Equal)
                    {
                        Assert.Equal(a[line.OldIndex], b[line.NewIndex]);
                    }
                }
            }
        }
    }
}
