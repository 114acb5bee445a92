// SPDX-License-Identifier: MIT
using System.Text.Json;
using BpfFixup.Tests.TestKit;
using static BpfFixup.Tests.TestKit.CliRun;

namespace BpfFixup.Tests.Rendering;

/// <summary>
/// Every JSON document the CLI writes follows its schema under docs/schema (docs/json-schema.md): dump, check,
/// the patch report and diff, on every sample; and the schemas do refuse what they should.
/// </summary>
public sealed class JsonSchemaTests : IDisposable
{
    private static readonly JsonSchemaSubset Schemas = new(Path.Combine(TestPaths.RepoRoot, "docs", "schema"));

    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Dump_json_of_one_sample_and_of_all_follows_the_schema()
    {
        AssertValid("dump.schema.json", Output("dump", "--json", TestPaths.Sample("session_subprog-el.o")));
        AssertValid("dump.schema.json", Output(["dump", "--json", .. TestPaths.AllSamples()]));

        // The CO-RE samples: their relocation records and access paths in the listing JSON.
        string core = Output(["dump", "--json", .. TestPaths.CoreSamples()]);
        Assert.Contains("\"coRe\": [", core, StringComparison.Ordinal);
        AssertValid("dump.schema.json", core);
        AssertValid("check.schema.json", Output(["check", "--format", "json", .. TestPaths.CoreSamples()]));
        AssertValid("diff.schema.json", Output("diff", "--format", "json", TestPaths.CoreSamples()[2], TestPaths.CoreSamples()[3]));
    }

    [Fact]
    public void Check_json_of_all_samples_follows_the_schema()
    {
        string json = Output(["check", "--format", "json", .. TestPaths.AllSamples()]);
        AssertValid("check.schema.json", json);
        using var doc = JsonDocument.Parse(json);
        Assert.Contains(doc.RootElement.GetProperty("objects").EnumerateArray().SelectMany(o => o.GetProperty("diagnostics").EnumerateArray()),
            d => d.GetProperty("source").ValueKind == JsonValueKind.Object);
    }

    [Fact]
    public void Check_json_with_repeated_call_sites_and_notes_follows_the_schema()
    {
        string obj = dir.File("shared.o");
        File.WriteAllBytes(obj, HostileObjects.SharedSubprogram(8, 3_000, uninitialised: true));
        string json = Output("check", "--format", "json", obj);
        Assert.Contains("\"repeatedCallSites\"", json, StringComparison.Ordinal);
        AssertValid("check.schema.json", json);
    }

    [Fact]
    public void Patch_report_follows_the_schema_with_and_without_kernel_inlines()
    {
        string[] samples = [.. TestPaths.AllSamples().Where(p => !p.Contains("session_bad", StringComparison.Ordinal))];
        AssertValid("patch-report.schema.json", Output(["patch", .. samples, "--out-dir", dir.File("out"), "--dry-run", "--report", "-"]));
        AssertValid("patch-report.schema.json", Output(["patch", TestPaths.Sample("session_bad-el.o"), TestPaths.Sample("session_subprog-el.o"), "--out-dir", dir.File("out2"), "--dry-run", "--report", "-"]));
        AssertValid("patch-report.schema.json", Output(["patch", TestPaths.Sample("helpers_tracing-el.o"), "--kernel-inlines", "--out-dir", dir.File("out3"), "--dry-run", "--report", "-"]));
    }

    [Fact]
    public void Diff_json_follows_the_schema()
    {
        AssertValid("diff.schema.json", Output("diff", "--format", "json", TestPaths.Sample("session_subprog-el.o"), TestPaths.Sample("session_basic-el.o")));
        AssertValid("diff.schema.json", Output("diff", "--format", "json", "--fixup", TestPaths.Sample("session_subprog-el.o")));
        AssertValid("diff.schema.json", Output("diff", "--format", "json", TestPaths.Sample("session_basic-el.o"), TestPaths.Sample("session_basic-eb.o")));
    }

    [Fact]
    public void Diff_json_of_a_long_diff_with_repeated_hunks_follows_the_schema()
    {
        string obj = dir.File("shared.o");
        File.WriteAllBytes(obj, HostileObjects.SharedSubprogram(150, 300));
        string json = Output("diff", "--format", "json", "--fixup", obj);
        Assert.Contains("\"repeatedHunks\": [", json, StringComparison.Ordinal);
        AssertValid("diff.schema.json", json);
        Assert.Contains("$.programs[0].repeatedHunks[0]: 'listedFor' is missing",
            Errors("diff.schema.json", """{"schemaVersion": 1, "oldFile": "a", "newFile": "b", "hasDifferences": true, "programs": [{"key": "s/p", "section": "s", "name": "p", "status": "changed", "listingDiff": "MISMATCH", "hunks": [], "repeatedHunks": [{"function": "sub", "count": 1}]}]}"""));
    }

    [Fact]
    public void The_schemas_refuse_extra_missing_and_mistyped_members()
    {
        Assert.Contains("$: 'objects' is missing", Errors("dump.schema.json", """{"schemaVersion": 1}"""));
        Assert.Contains("$.schemaVersion: 2 is not one of 1", Errors("dump.schema.json", """{"schemaVersion": 2, "objects": []}"""));
        Assert.Contains("$.objects[0]: 'extra' is not in the schema",
            Errors("dump.schema.json", """{"schemaVersion": 1, "objects": [{"file": "a.o", "byteOrder": "little", "sections": [], "extra": 0}]}"""));
        Assert.Contains("$.objects[0].byteOrder: \"middle\" is not one of \"little\", \"big\"",
            Errors("dump.schema.json", """{"schemaVersion": 1, "objects": [{"file": "a.o", "byteOrder": "middle", "sections": []}]}"""));
        string diagnostic = """{"id": "BPF3011", "severity": "error", "message": "m", "section": null, "function": null, "program": null, "index": -1, "source": {"file": "x.c", "line": 1, "column": 1, "text": null}}""";
        var errors = Errors("check.schema.json", "{\"schemaVersion\": 1, \"objects\": [{\"file\": \"a.o\", \"byteOrder\": \"big\", \"abi\": \"linux-7.0\", \"programs\": [], \"cookieSlotsByTarget\": {\"x\": \"1\"}, \"diagnostics\": [" + diagnostic + "]}]}");
        Assert.Contains("$.objects[0].cookieSlotsByTarget.x: String is not integer", errors);
        Assert.Contains("$.objects[0].diagnostics[0].index: -1 is below 0", errors);
        Assert.Contains(errors, e => e.StartsWith("$.objects[0].diagnostics[0].source: matches 0 of the oneOf schemas", StringComparison.Ordinal) && e.Contains("'path' is missing", StringComparison.Ordinal));
    }

    private static List<string> Errors(string schema, string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Schemas.Validate(schema, doc.RootElement);
    }

    private static void AssertValid(string schema, string json)
    {
        var errors = Errors(schema, json);
        Assert.True(errors.Count == 0, $"{schema}: {errors.Count} error(s):\n{string.Join('\n', errors.Take(20))}");
    }

    /// <summary>The command's stdout; exit 0 or 1 (differences, rejected programs), never 2.</summary>
    private static string Output(params string[] args)
    {
        var r = Run(args);
        Assert.True(r.Code is 0 or 1, r.ToString());
        return r.Out;
    }
}
