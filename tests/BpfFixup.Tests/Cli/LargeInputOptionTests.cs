// SPDX-License-Identifier: MIT
using System.Text.RegularExpressions;
using BpfFixup.Diff;
using static BpfFixup.Tests.TestKit.CliRun;

namespace BpfFixup.Tests.Cli;

/// <summary>Issue 12 item 8: <c>check --quiet</c> prints the diagnostics only; <c>diff --format stat</c> never renders the unified diff.</summary>
public sealed class LargeInputOptionTests
{
    [Theory]
    [InlineData("--quiet")]
    [InlineData("-q")]
    public void Check_quiet_prints_the_diagnostic_lines_only(string quiet)
    {
        string bad = TestPaths.Sample("session_bad-el.o");
        string good = TestPaths.Sample("session_basic-el.o");
        var full = Run("check", bad, good);
        var r = Run("check", quiet, bad, good);
        Assert.Equal((1, string.Empty), (r.Code, r.Err));
        // The full text less each object's summary line and its indented program lines (a diagnostic's own source
        // and caret lines, `   47 | ...` and `      | ^`, stay).
        var diagnostics = new List<string>();
        bool inSummary = false;
        foreach (var l in full.OutLines)
        {
            bool summary = Regex.IsMatch(l, @"^\S+\.o: \d+ program\(s\)");
            inSummary = summary || (inSummary && l.StartsWith("  ", StringComparison.Ordinal) && !Regex.IsMatch(l, @"^ +\d* \|"));
            if (!inSummary)
            {
                diagnostics.Add(l);
            }
        }

        Assert.Contains(diagnostics, l => l.Contains(": error: ", StringComparison.Ordinal));
        Assert.Equal(diagnostics, r.OutLines);
        Assert.Contains(full.OutLines, l => l.EndsWith(", ok", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_quiet_on_a_clean_object_prints_nothing()
    {
        var r = Run("check", "--quiet", TestPaths.Sample("session_basic-el.o"));
        Assert.Equal((0, string.Empty, string.Empty), (r.Code, r.Out, r.Err));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("sarif")]
    public void Check_quiet_is_for_the_text_format(string format)
    {
        var r = Run("check", "--quiet", "--format", format, TestPaths.Sample("session_basic-el.o"));
        Assert.Equal((2, string.Empty), (r.Code, r.Out));
        Assert.Equal(["bpffixup: error: --quiet is for --format text (json and sarif are for tools)"], r.ErrLines);
    }

    [Theory]
    [InlineData("stat", false)]
    [InlineData("unified", true)]
    [InlineData("json", true)]
    public void Only_the_stat_format_goes_without_hunks(string format, bool hunks) => Assert.Equal(hunks, BpfFixup.Cli.Commands.DiffCommand.NeedsHunks(format));

    [Theory]
    [InlineData("session_basic-el.o", "session_basic-el-v4.o")]
    [InlineData("session_basic-el.o", "session_subprog-el.o")]
    [InlineData("session_basic-el.o", "session_basic-el.o")]
    public void Without_hunks_the_statuses_and_the_stat_table_are_the_same(string a, string b)
    {
        var left = BpfFixup.Snapshots.FixupDiff.Listings(TestHelpers.LoadSample(a), null, null);
        var right = BpfFixup.Snapshots.FixupDiff.Listings(TestHelpers.LoadSample(b), null, null);
        var full = ListingDiff.Compare(a, left, b, right);
        var stat = ListingDiff.Compare(a, left, b, right, hunks: false);
        Assert.Equal(full.Programs.Select(p => (p.Key, p.Status)), stat.Programs.Select(p => (p.Key, p.Status)));
        Assert.All(stat.Programs, p => Assert.Empty(p.Hunks));
        Assert.Equal(full.RenderStatTable(), stat.RenderStatTable());
        var r = Run("diff", TestPaths.Sample(a), TestPaths.Sample(b), "--format", "stat");
        Assert.Equal(full.HasDifferences ? 1 : 0, r.Code);
    }
}
