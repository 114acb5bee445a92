// SPDX-License-Identifier: MIT
using System.Text.Json;
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Rendering.Sarif;

namespace BpfFixup.Tests.Rendering.Sarif;

public sealed class SarifReportTests
{
    private static AnalysisResult Analyze(string sample) => ObjectAnalyzer.Analyze(TestHelpers.LoadSample(sample));

    private static JsonElement Run(IEnumerable<AnalysisResult> results, SarifOptions? options = null)
    {
        using var doc = JsonDocument.Parse(SarifReport.Text(results, options ?? new SarifOptions { Version = "1.2.3" }));
        return doc.RootElement.GetProperty("runs")[0].Clone();
    }

    [Fact]
    public void Every_rule_is_described_with_help_and_a_help_uri()
    {
        var driver = Run([Analyze("session_bad-el.o"), Analyze("session_oldproto-el.o"), Analyze("session_retcode-el.o")]).GetProperty("tool").GetProperty("driver");
        Assert.Equal(ProjectLinks.Home, driver.GetProperty("informationUri").GetString());
        Assert.Equal("1.2.3", driver.GetProperty("semanticVersion").GetString());
        var rules = driver.GetProperty("rules").EnumerateArray().ToList();
        Assert.True(rules.Count >= 4);
        foreach (var rule in rules)
        {
            string id = rule.GetProperty("id").GetString()!;
            var catalog = DiagnosticCatalog.Of(id);
            Assert.Equal(catalog.Title, rule.GetProperty("shortDescription").GetProperty("text").GetString());
            Assert.Equal(catalog.Description, rule.GetProperty("fullDescription").GetProperty("text").GetString());
            Assert.Contains("Fix: " + catalog.Fix, rule.GetProperty("help").GetProperty("text").GetString(), StringComparison.Ordinal);
            Assert.Contains("**Fix:** " + catalog.Fix, rule.GetProperty("help").GetProperty("markdown").GetString(), StringComparison.Ordinal);
            Assert.Equal(ProjectLinks.DiagnosticsPage + "#" + id.ToLowerInvariant(), rule.GetProperty("helpUri").GetString());
            Assert.Matches("^[A-Z][A-Za-z0-9]+$", rule.GetProperty("name").GetString());
        }
    }

    [Fact]
    public void Results_point_at_their_rule_and_carry_a_fingerprint()
    {
        var run = Run([Analyze("session_bad-el.o")]);
        var ids = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        var prints = new HashSet<string>(StringComparer.Ordinal);
        foreach (var result in run.GetProperty("results").EnumerateArray())
        {
            Assert.Equal(ids[result.GetProperty("ruleIndex").GetInt32()], result.GetProperty("ruleId").GetString());
            Assert.True(prints.Add(result.GetProperty("partialFingerprints").GetProperty(ResultFingerprints.Key).GetString()!));
        }

        Assert.Equal(4, prints.Count);
    }

    [Fact]
    public void The_two_byte_orders_of_one_source_give_one_result_each()
    {
        var el = Run([Analyze("session_bad-el.o")]).GetProperty("results");
        var both = Run([Analyze("session_bad-el.o"), Analyze("session_bad-eb.o")]).GetProperty("results");
        Assert.Equal(el.GetArrayLength(), both.GetArrayLength());
        foreach (var result in both.EnumerateArray())
        {
            Assert.StartsWith("session_bad-el.o, session_bad-eb.o: ", result.GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);
        }

        // Objects from different sources are not merged.
        Assert.Equal(el.GetArrayLength() + Run([Analyze("session_oldproto-el.o")]).GetProperty("results").GetArrayLength(),
            Run([Analyze("session_bad-el.o"), Analyze("session_oldproto-el.o")]).GetProperty("results").GetArrayLength());
    }

    [Fact]
    public void A_source_root_gives_relative_uris_on_srcroot()
    {
        var run = Run([Analyze("session_bad-el.o")], new SarifOptions { Version = "1", SourceRoot = "/work/proj" });
        Assert.Equal("file:///work/proj/", run.GetProperty("originalUriBaseIds").GetProperty("SRCROOT").GetProperty("uri").GetString());
        foreach (var result in run.GetProperty("results").EnumerateArray())
        {
            var artifact = result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation");
            Assert.Equal("src/session_bad.bpf.c", artifact.GetProperty("uri").GetString());
            Assert.Equal("SRCROOT", artifact.GetProperty("uriBaseId").GetString());
        }

        Assert.False(Run([Analyze("session_bad-el.o")]).TryGetProperty("originalUriBaseIds", out _));
    }

    [Fact]
    public void An_input_that_failed_is_a_tool_execution_notification()
    {
        var failure = new Diagnostic { Id = DiagnosticIds.MalformedElf, Severity = Severity.Error, Message = "not an ELF file (bad magic)", File = "dir/bad #1.o", Section = "ELF header" };
        var run = Run([Analyze("session_bad-el.o")], new SarifOptions { Version = "1", InputFailures = [failure] });
        var invocation = Assert.Single(run.GetProperty("invocations").EnumerateArray());
        Assert.False(invocation.GetProperty("executionSuccessful").GetBoolean());
        var note = Assert.Single(invocation.GetProperty("toolExecutionNotifications").EnumerateArray());
        Assert.Equal("error", note.GetProperty("level").GetString());
        Assert.Equal("BPF1001", note.GetProperty("descriptor").GetProperty("id").GetString());
        Assert.Equal("dir/bad #1.o: ELF header: not an ELF file (bad magic)", note.GetProperty("message").GetProperty("text").GetString());
        Assert.Equal("dir/bad%20%231.o", note.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal("BPF1001", run.GetProperty("tool").GetProperty("driver").GetProperty("notifications")[0].GetProperty("id").GetString());
        Assert.Equal(4, run.GetProperty("results").GetArrayLength());

        var ok = Run([Analyze("session_bad-el.o")]).GetProperty("invocations")[0];
        Assert.True(ok.GetProperty("executionSuccessful").GetBoolean());
        Assert.Equal(0, ok.GetProperty("toolExecutionNotifications").GetArrayLength());
    }
}
