// SPDX-License-Identifier: MIT
using BpfFixup.Tests.TestKit;
using static BpfFixup.Tests.TestKit.CliRun;

namespace BpfFixup.Tests.Interop;

/// <summary>
/// <c>check --format sarif</c> passes Microsoft's SARIF multitool with the "Sarif;Gh" rules (the SARIF 2.1.0 rules
/// and GitHub code scanning's ingestion rules) with no error and no warning: every sample alone, all samples at
/// once, a run with --source-root, and a run in which one input is not an object.
/// </summary>
public sealed class SarifValidatorTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [SarifMultitoolFact]
    public void Check_sarif_passes_the_multitool_with_the_github_rules()
    {
        var logs = new List<string>();
        foreach (string sample in TestPaths.AllSamples())
        {
            logs.Add(Log(Path.GetFileNameWithoutExtension(sample), [sample]));
        }

        logs.Add(Log("all", [.. TestPaths.AllSamples()]));
        logs.Add(Log("root", ["--source-root", TestPaths.RepoRoot, TestPaths.Sample("session_bad-el.o"), TestPaths.Sample("session_bad-eb.o")]));
        string junk = dir.File("not an object.o");
        File.WriteAllText(junk, "not ELF");
        logs.Add(Log("bad-input", [TestPaths.Sample("session_bad-el.o"), junk], expectedCode: 2));

        var findings = SarifMultitool.Validate(dir.Path, logs);
        Assert.True(findings.Count == 0, $"{findings.Count} error(s)/warning(s) in {logs.Count} logs:\n{string.Join('\n', findings)}");
    }

    [SarifMultitoolFact]
    public void The_multitool_reports_what_github_refuses()
    {
        // The validator and the reading of its output are themselves checked: a rule without help is an error.
        string log = dir.File("no-help.sarif");
        File.WriteAllText(log, """
            {"$schema":"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json","version":"2.1.0",
             "runs":[{"tool":{"driver":{"name":"t","informationUri":"https://example.org/","rules":[{"id":"X1","shortDescription":{"text":"x"}}]}},
             "results":[{"ruleId":"X1","level":"error","message":{"text":"x"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.c"},"region":{"startLine":1}}}]}]}]}
            """);
        var findings = SarifMultitool.Validate(dir.Path, [log]);
        Assert.Contains(findings, f => f.Contains("error GH2012", StringComparison.Ordinal));
    }

    private string Log(string name, string[] args, int? expectedCode = null)
    {
        var r = Run(["check", "--format", "sarif", .. args]);
        Assert.True(expectedCode is null ? r.Code is 0 or 1 : r.Code == expectedCode, r.ToString());
        string path = dir.File(name + ".sarif");
        File.WriteAllText(path, r.Out);
        return path;
    }
}
