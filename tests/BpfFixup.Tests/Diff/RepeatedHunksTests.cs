// SPDX-License-Identifier: MIT
using BpfFixup.Diff;

namespace BpfFixup.Tests.Diff;

/// <summary>
/// Past the output budget, a function's hunks that an earlier program's diff shows the same way are one note
/// (issue 11: many programs reaching one subprogram made the diff programs × subprogram); below it nothing changes.
/// </summary>
public sealed class RepeatedHunksTests
{
    private const int SubLines = 200;

    /// <summary>The shared subprogram as both sides show it: one run each, shared by every program (as the renderer shares it).</summary>
    private static readonly IReadOnlyList<ListingLine> SubOld = Sub(changedEvery: 0, "old");
    private static readonly IReadOnlyList<ListingLine> SubNew = Sub(changedEvery: 20, "new");

    /// <summary><c>sub:</c> and <see cref="SubLines"/> instructions; every <paramref name="changedEvery"/>-th from line 4 on reads otherwise.</summary>
    private static ListingLine[] Sub(int changedEvery, string tag) =>
        [new("sub:"), .. Enumerable.Range(0, SubLines).Select(i => new ListingLine(changedEvery > 0 && i % changedEvery == 4 ? $"    r{i % 10} = {tag} {i}" : $"    r{i % 10} += {i}"))];

    private static ListingLine[] Own(int k, bool changed) => [new($"p{k}:"), new("    r1 = r6"), new("    call sub"), new(changed ? "    r0 = 1" : "    r0 = 0"), new("    exit")];

    private static ProgramListing Listing(int k, IReadOnlyList<ListingLine> own, IReadOnlyList<ListingLine> sub, int header = 0)
    {
        IReadOnlyList<IReadOnlyList<ListingLine>> segments = [own, sub];
        var lines = new SegmentedLines(segments);
        return new ProgramListing($"fsession/p{k}", $"p{k}", lines, lines.Count)
        {
            Segments = segments,
            SegmentedLines = lines,
            Header = [.. Enumerable.Range(0, header).Select(h => $"# header {h}")],
        };
    }

    /// <summary><paramref name="programs"/> programs p0.. that each reach sub (p10 sorts before p2: keys order them); odd ones change their own last lines when <paramref name="oddChange"/>.</summary>
    private static ListingDiffResult Diff(int programs, int lastHeader = 0, bool oddChange = false)
    {
        var keys = Enumerable.Range(0, programs).OrderBy(k => $"fsession/p{k}/p{k}", StringComparer.Ordinal).ToList();
        int last = keys[^1];
        var old = new List<ProgramListing>();
        var neu = new List<ProgramListing>();
        foreach (int k in keys)
        {
            old.Add(Listing(k, Own(k, false), SubOld));
            neu.Add(Listing(k, oddChange && k % 2 == 1 ? Own(k, true) : Own(k, false), SubNew, k == last ? lastHeader : 0));
        }

        return ListingDiff.Compare("a.o", old, "b.o", neu, 3);
    }

    private static string[] Lines(string text) => text.Split('\n')[..^1];

    /// <summary>The lines the unified text would print for <paramref name="p"/> in full.</summary>
    private static long FullLines(ProgramDiff p) => (p.New ?? p.Old)!.Header.Count + 2 + p.Hunks.Sum(h => 1L + h.Lines.Count);

    [Fact]
    public void The_budget_is_two_lines_per_listing_line_with_each_function_counted_once_plus_4096()
    {
        var result = Diff(60);
        // 60 own runs of 5 lines on each side (equal texts, separate runs) and the one sub run of each side.
        Assert.Equal(2 * ((2 * 60 * 5) + (2 * (SubLines + 1))) + 4096, RepeatedHunks.Budget(result));
    }

    [Theory]
    [InlineData(0, false)] // the last program's sub starts with the output one line short of the budget: in full
    [InlineData(1, true)] // ... at the budget: one note
    public void A_repeat_is_shortened_only_from_the_budget_on(int overBy, bool shortened)
    {
        var probe = Diff(60);
        long budget = RepeatedHunks.Budget(probe);
        var programs = probe.Programs;
        long before = programs.Take(programs.Count - 1).Sum(FullLines) + 2; // what is written before the last program's hunks, with no header
        int header = checked((int)(budget - before - 1 + overBy));
        Assert.InRange(header, 1, 10_000);

        var result = Diff(60, header);
        Assert.Equal(budget, RepeatedHunks.Budget(result));
        string text = result.RenderUnified();
        var last = result.Programs[^1];
        int subHunks = programs[0].Hunks.Count;
        Assert.Equal(10, subHunks);
        Assert.Equal(shortened, text.Contains($"# sub: {subHunks} hunk(s) as shown for program fsession/p0/p0\n--- a.o:{last.Key}\n+++ b.o:{last.Key}\n", StringComparison.Ordinal));
        Assert.Equal(shortened ? 59 * subHunks : 60 * subHunks, Lines(text).Count(l => l.StartsWith("@@ ", StringComparison.Ordinal)));
        Assert.Equal(shortened ? 1 : 0, Lines(text).Count(l => l.StartsWith("# sub", StringComparison.Ordinal)));
        if (!shortened)
        {
            Assert.Equal(programs.Sum(FullLines) + header, Lines(text).Length);
        }
    }

    [Fact]
    public void Below_the_budget_a_diff_of_shared_functions_prints_every_hunk()
    {
        var result = Diff(40);
        Assert.True(result.Programs.Sum(FullLines) < RepeatedHunks.Budget(result));
        Assert.DoesNotContain("\n# ", result.RenderUnified(), StringComparison.Ordinal);
        Assert.All(result.ToReport().Programs, p => Assert.Null(p.RepeatedHunks));
    }

    [Fact]
    public void Past_the_budget_each_later_program_gets_one_note_and_the_rest_stays_a_unified_diff()
    {
        var result = Diff(400);
        string text = result.RenderUnified();
        var lines = Lines(text);
        long budget = RepeatedHunks.Budget(result);
        Assert.True(result.Programs.Sum(FullLines) > 2 * budget);
        Assert.InRange(lines.Length, budget, budget + result.Programs.Max(FullLines) + (3 * result.Programs.Count));

        // Every program keeps its ---/+++ pair; a note stands right before the --- it belongs to.
        Assert.Equal(400, lines.Count(l => l.StartsWith("--- a.o:", StringComparison.Ordinal)));
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith('#'))
            {
                Assert.Equal("# sub: 10 hunk(s) as shown for program fsession/p0/p0", lines[i]);
                Assert.StartsWith("--- a.o:", lines[i + 1], StringComparison.Ordinal);
            }
        }

        // The hunks printed still count out: each @@ header's counts match the lines after it.
        int at = 0;
        while (at < lines.Length)
        {
            if (!lines[at].StartsWith("@@ ", StringComparison.Ordinal))
            {
                at++;
                continue;
            }

            var counts = lines[at].Split(' ');
            int oldCount = int.Parse(counts[1].Split(',')[1], System.Globalization.CultureInfo.InvariantCulture);
            int newCount = int.Parse(counts[2].Split(',')[1], System.Globalization.CultureInfo.InvariantCulture);
            at++;
            for (; oldCount + newCount > 0; at++)
            {
                oldCount -= lines[at][0] is ' ' or '-' ? 1 : 0;
                newCount -= lines[at][0] is ' ' or '+' ? 1 : 0;
            }
        }
    }

    [Fact]
    public void Hunks_that_differ_from_every_earlier_programs_are_printed()
    {
        // Odd programs change their own last line, three lines before sub's first change: that hunk runs into sub, so
        // their hunks inside sub are the nine after it, not p0's ten. Each shape is printed once, then noted.
        var result = Diff(400, oddChange: true);
        var lines = Lines(result.RenderUnified());
        var notes = lines.Where(l => l.StartsWith('#')).ToList();
        Assert.Contains("# sub: 10 hunk(s) as shown for program fsession/p0/p0", notes);
        Assert.Contains("# sub: 9 hunk(s) as shown for program fsession/p1/p1", notes);
        Assert.Equal(2, notes.Distinct().Count());
        foreach (var p in result.Programs)
        {
            Assert.Contains($"--- a.o:{p.Key}", lines);
        }

        // The hunk across the edge of sub is printed for every odd program.
        Assert.Equal(200, lines.Count(l => l == "+    r0 = 1"));
    }

    [Fact]
    public void The_json_leaves_out_the_same_hunks_and_says_so()
    {
        var result = Diff(400);
        var report = result.ToReport();
        string text = result.RenderUnified();
        var notes = Lines(text).Count(l => l.StartsWith('#'));
        var repeated = report.Programs.Where(p => p.RepeatedHunks is not null).ToList();
        Assert.Equal(notes, repeated.Count);
        Assert.All(repeated, p =>
        {
            var r = Assert.Single(p.RepeatedHunks!);
            Assert.Equal(("sub", 10, "fsession/p0/p0"), (r.Function, r.Count, r.ListedFor));
            Assert.Empty(p.Hunks);
        });
        Assert.Equal(Lines(text).Count(l => l.StartsWith("@@ ", StringComparison.Ordinal)), report.Programs.Sum(p => p.Hunks.Count));
        Assert.Contains("\"repeatedHunks\": [", result.ToJson(), StringComparison.Ordinal);

        // The stat views count every hunk: they are not bound by the output.
        Assert.Equal(Diff(400).RenderDiffStat(), result.RenderDiffStat());
        Assert.Contains(" 400 programs changed", result.RenderDiffStat(), StringComparison.Ordinal);
    }
}
