// SPDX-License-Identifier: MIT
using System.Text.Json;
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Rendering;
using BpfFixup.Tests.TestKit;
using static BpfFixup.Tests.TestKit.CliRun;

namespace BpfFixup.Tests.Rendering;

/// <summary>
/// Programs that share one subprogram with many bad call sites (under the reach budget): each finding is reported
/// once and each later program gets one BPF3026 note, so every report grows with the object, not with programs x
/// sites (issue 8), in every format and command; the verdicts are those of every copy.
/// </summary>
public sealed class SharedSubprogramReportTests : IDisposable
{
    private const int Sites = 3_000;

    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private string Object(int programs, bool uninitialised = true)
    {
        string path = dir.File($"shared{programs}{(uninitialised ? "-bad" : string.Empty)}.o");
        File.WriteAllBytes(path, HostileObjects.SharedSubprogram(programs, Sites, uninitialised));
        return path;
    }

    /// <summary>The JSON document of <c>check --format</c> <paramref name="format"/> on <paramref name="path"/> (rejected: exit 1).</summary>
    private static JsonDocument Check(string format, string path)
    {
        var r = Run("check", "--format", format, path);
        Assert.Equal(1, r.Code);
        return JsonDocument.Parse(r.Out);
    }

    [Fact]
    public void Each_finding_is_kept_once_and_each_later_program_has_one_note_and_every_verdict()
    {
        var analysis = ObjectAnalyzer.Analyze(TestHelpers.Load(HostileObjects.SharedSubprogram(5, Sites, uninitialised: true), "shared.o"));
        var errors = analysis.Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        Assert.Equal(2 * Sites, errors.Count); // the read of R7 and the rejected call, at each site, for p0 only
        Assert.All(errors, d => Assert.Equal("p0", d.Program));
        var notes = analysis.Diagnostics.Where(d => d.Id == DiagnosticIds.Repeated).ToList();
        Assert.Equal(["p1", "p2", "p3", "p4"], notes.Select(d => d.Program));
        Assert.All(notes, d => Assert.Equal($"{2 * Sites} diagnostic(s) in sub as reported for program p0", d.Message));
        Assert.All(notes, d => Assert.Equal((".text", "sub", (int?)null), (d.Section, d.Function, d.Index)));

        // The verdicts do not depend on which program a finding names: every program rejects every site.
        Assert.Equal(5, analysis.Programs.Count);
        Assert.All(analysis.Programs, p => Assert.Equal(Sites, p.Sites.Count(s => s.Action == SiteAction.Reject)));
        Assert.True(analysis.HasErrors);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    [InlineData("sarif")]
    public void Twice_the_programs_add_a_few_lines_per_program_not_a_line_per_site(string format)
    {
        var small = Run("check", "--format", format, Object(10));
        var large = Run("check", "--format", format, Object(20));
        Assert.Equal(1, small.Code);
        Assert.Equal(1, large.Code);
        Assert.True(large.Out.Length - small.Out.Length < 10 * 1_500, $"{format}: {small.Out.Length} -> {large.Out.Length} bytes");
        Assert.True(large.Out.Length < 8 * Sites * 500, $"{format}: {large.Out.Length} bytes for {2 * Sites} distinct findings");
    }

    [Fact]
    public void Text_has_each_finding_once_a_note_per_later_program_and_a_line_per_repeated_listing()
    {
        var r = Run("check", Object(8));
        Assert.Equal(1, r.Code);
        var lines = r.Out.Split('\n');
        string file = dir.File("shared8-bad.o");
        Assert.Equal(
            Enumerable.Range(1, 7).Select(p => $"{file}:.text/sub: note: {2 * Sites} diagnostic(s) in sub as reported for program p0 [BPF3026] (program p{p})"),
            lines.Where(l => l.Contains("[BPF3026]", StringComparison.Ordinal)));
        Assert.Equal(2 * Sites, lines.Count(l => l.Contains(": error: ", StringComparison.Ordinal)));
        Assert.Equal(2 * Sites, lines.Count(l => l.StartsWith("hint: ", StringComparison.Ordinal)));

        // The listing: in full while it holds fewer than 4 x the object's 3,000 sites + 4,096 verdicts (p0 to p5),
        // then one line for each later program.
        Assert.Equal(6 * Sites, lines.Count(l => l.StartsWith("    .text/sub+", StringComparison.Ordinal)));
        string repeated = $"    {Sites} call site(s) in .text/sub as listed for program p0";
        Assert.Equal(repeated, lines[Array.IndexOf(lines, "  fsession/f6 p6 [tracing/trace_fsession]") + 1]);
        Assert.Equal(repeated, lines[Array.IndexOf(lines, "  fsession/f7 p7 [tracing/trace_fsession]") + 1]);
        Assert.Equal(2, lines.Count(l => l.Contains(" as listed for ", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_ordinary_listing_within_the_allowance_is_never_shortened()
    {
        // 5 programs x 3,000 verdicts: under 4 x the 3,000 sites + 4,096.
        var r = Run("check", Object(5, uninitialised: false));
        Assert.Equal(0, r.Code);
        Assert.Equal(5 * Sites, r.Out.Split('\n').Count(l => l.StartsWith("    .text/sub+", StringComparison.Ordinal)));
        Assert.DoesNotContain(" as listed for ", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("BPF3026", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_names_the_earlier_program_in_a_note_and_in_repeatedCallSites()
    {
        using var doc = Check("json", Object(8));
        var obj = doc.RootElement.GetProperty("objects")[0];
        var programs = obj.GetProperty("programs").EnumerateArray().ToList();
        foreach (var p in programs.Take(6))
        {
            Assert.Equal(Sites, p.GetProperty("callSites").GetArrayLength());
            Assert.False(p.TryGetProperty("repeatedCallSites", out _));
        }

        foreach (var p in programs.Skip(6))
        {
            Assert.Equal(0, p.GetProperty("callSites").GetArrayLength());
            var repeated = Assert.Single(p.GetProperty("repeatedCallSites").EnumerateArray());
            Assert.Equal(".text|sub|3000|p0", string.Join('|', repeated.GetProperty("section").GetString(), repeated.GetProperty("function").GetString(),
                repeated.GetProperty("count").GetInt32(), repeated.GetProperty("listedFor").GetString()));
        }

        var diagnostics = obj.GetProperty("diagnostics").EnumerateArray().ToList();
        Assert.Equal(2 * Sites, diagnostics.Count(d => d.GetProperty("severity").GetString() == "error"));
        var notes = diagnostics.Where(d => d.GetProperty("id").GetString() == DiagnosticIds.Repeated).ToList();
        Assert.Equal(Enumerable.Range(1, 7).Select(p => "p" + p), notes.Select(d => d.GetProperty("program").GetString()));
        Assert.All(notes, d => Assert.Equal($"{2 * Sites} diagnostic(s) in sub as reported for program p0", d.GetProperty("message").GetString()));
    }

    [Fact]
    public void Sarif_has_each_error_once_and_a_note_result_per_later_program()
    {
        using var doc = Check("sarif", Object(4));
        var run = doc.RootElement.GetProperty("runs")[0];
        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2 * Sites, results.Count(x => x.GetProperty("level").GetString() == "error"));
        var notes = results.Where(x => x.GetProperty("ruleId").GetString() == DiagnosticIds.Repeated).ToList();
        Assert.Equal(3, notes.Count);
        Assert.All(notes, x => Assert.Equal("note", x.GetProperty("level").GetString()));
        Assert.EndsWith(": .text/sub [program p1]: 6000 diagnostic(s) in sub as reported for program p0", notes[0].GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);
        var rule = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Single(x => x.GetProperty("id").GetString() == DiagnosticIds.Repeated);
        Assert.Equal("note", rule.GetProperty("defaultConfiguration").GetProperty("level").GetString());
        Assert.Equal(results.Count, results.Select(x => x.GetProperty("partialFingerprints").GetRawText()).Distinct().Count());
    }

    [Theory]
    [InlineData("patch")]
    [InlineData("dump")]
    [InlineData("diff")]
    [InlineData("snapshot")]
    public void Rejection_messages_show_each_error_once_and_the_notes_for_the_later_programs(string command)
    {
        string obj = Object(4);
        string[] args = command switch
        {
            "patch" => ["patch", obj, "-o", dir.File("out.o")],
            "dump" => ["dump", "--fixup", obj],
            "diff" => ["diff", obj, "--fixup"],
            _ => ["snapshot", obj, "--dir", dir.File("snap")],
        };
        var r = Run(args);
        Assert.Equal(1, r.Code);
        var lines = r.Err.Split('\n');
        Assert.Equal(2 * Sites, lines.Count(l => l.Contains(": error: ", StringComparison.Ordinal) && l.Contains("(program p0)", StringComparison.Ordinal)));
        Assert.Equal(2 * Sites, lines.Count(l => l.Contains(": error: ", StringComparison.Ordinal) && l.Contains("[BPF", StringComparison.Ordinal)));
        Assert.Equal(3, lines.Count(l => l.Contains("[BPF3026]", StringComparison.Ordinal)));
        Assert.False(File.Exists(dir.File("out.o")));
    }
}
