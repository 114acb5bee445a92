// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Analysis;
using BpfFixup.Model;
using BpfFixup.Rendering;
using BpfFixup.Text;

namespace BpfFixup.Tests.Rendering;

/// <summary>
/// The text report's call-site lines are built from parts kept while the sites share them (the function's part,
/// the outcome's part): each line is still the whole line escaped, for sites that change function, section and
/// outcome from one line to the next.
/// </summary>
public class CheckReportSiteLineTests
{
    /// <summary>The line of <paramref name="v"/> built and escaped in one piece, as the report did before its parts were kept.</summary>
    private static string LineOf(CallSiteVerdict v)
    {
        var sb = new StringBuilder();
        sb.Append("    ").Append(v.Site.Section.Name).Append('/').Append(v.Site.Function.Name).Append('+').Append(v.Site.Slot)
          .Append(' ').Append(SessionKfuncs.NameOf(v.Site.Kfunc)).Append(": ").Append(CheckReport.ActionName(v.Action))
          .Append(" (R1=").Append(v.R1.ToString()).Append("): ").Append(v.Reason);
        return Printable.EscapeTail(sb, 0).ToString();
    }

    private static void AssertSiteLines(AnalysisResult analysis)
    {
        var expected = analysis.Programs.SelectMany(p => p.Sites).Select(LineOf).ToList();
        Assert.NotEmpty(expected);
        // The site lines: four spaces, then the section (a source line's caret line has six).
        var lines = CheckReport.Text([analysis], "linux-7.0").Split('\n').Where(l => l.Length > 4 && l.StartsWith("    ", StringComparison.Ordinal) && l[4] != ' ').ToList();
        Assert.Equal(expected, lines);
    }

    [Theory]
    [InlineData("session_multi-el.o")]
    [InlineData("session_bad-el.o")]
    [InlineData("session_global-eb.o")]
    [InlineData("session_asm-el.o")]
    [InlineData("session_kprobe-el.o")]
    public void Each_site_line_is_the_whole_line_escaped(string sample)
    {
        var analysis = ObjectAnalyzer.Analyze(TestHelpers.LoadSample(sample));
        AssertSiteLines(analysis);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Hostile_names_are_escaped_in_every_site_line(bool reject)
    {
        var analysis = ObjectAnalyzer.Analyze(TestHelpers.Load(Cli.HostileNamesTests.Crafted(reject), "x.o"));
        AssertSiteLines(analysis);
        Assert.Contains("    fsession/vfs_read\\x1b[2J\\nforged: section/prog\\x1b]0;title\\x07\\nforged: ok+3 bpf_session_cookie: ", CheckReport.Text([analysis], "linux-7.0"), StringComparison.Ordinal);
    }
}
