// SPDX-License-Identifier: MIT
using BpfFixup.Diff;

namespace BpfFixup.Tests.Diff;

/// <summary>The function names of a program found from its runs, each searched once, are those of its lines.</summary>
public sealed class FunctionLinesTests
{
    private static ListingLine[] Run(params string[] lines) => [.. lines.Select(l => new ListingLine(l))];

    private static ProgramListing Program(string name, params IReadOnlyList<ListingLine>[] runs)
    {
        var lines = new SegmentedLines(runs);
        return new ProgramListing("s", name, lines, lines.Count) { Segments = runs, SegmentedLines = lines };
    }

    [Fact]
    public void The_index_of_a_programs_runs_is_the_index_of_its_lines()
    {
        var sub = Run("sub:", "    r0 = 0x2", ".L1:", "inner:", "    exit");
        var empty = Run();
        var p1 = Program("p1", Run("p1:", "    call sub", "    exit"), empty, sub);
        var p2 = Program("p2", Run("    ; no name line", "p2:", "    exit"), sub, Run(".Lx:", "tail:"));
        var plain = new ProgramListing("s", "q", Run("q:", "    exit", "r:"), 3); // no runs: read line by line
        var renamed = p1 with { Lines = Run("x:", "    exit") }; // its runs no longer are its lines
        var functions = new FunctionLines();
        foreach (var p in new[] { p1, p2, p1, plain, renamed })
        {
            var texts = p.Lines.Select(l => l.Text).ToList();
            var expected = new FunctionNames.Index(texts);
            var index = functions.Of(p);
            for (int line = 0; line <= texts.Count + 1; line++)
            {
                Assert.Equal(expected.Before(line), index.Before(line));
            }
        }

        Assert.Null(functions.Of(null).Before(5));
    }
}
