// SPDX-License-Identifier: MIT
using System.Security.Cryptography;
using System.Text;
using BpfFixup.Analysis;
using BpfFixup.IO;
using BpfFixup.Model;
using BpfFixup.Rendering;
using BpfFixup.Rendering.Json;

namespace BpfFixup.Tests.Rendering;

/// <summary>
/// The streamed JSON and SARIF writers (issue 8: memory) give the bytes the whole-document serializer gave:
/// pinned by the SHA-256 of f3e9144's output for every sample, and against <see cref="DumpJson.Serialize"/>.
/// </summary>
public sealed class StreamedJsonTests
{
    private static readonly Lazy<Dictionary<string, string>> Golden = new(() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "Rendering", "streamed-json.sha256"))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[0] + " " + p[1], p => p[2], StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(TestPaths.SampleNames), MemberType = typeof(TestPaths))]
    public void Dump_json_bytes_are_those_before_streaming(string name)
    {
        var obj = TestHelpers.LoadSample(name);
        string streamed = DumpJson.Text([obj], new ListingOptions());
        Assert.Equal(Golden.Value["dump-json " + name], Sha256(streamed));
        Assert.Equal(DumpJson.Serialize([DumpJson.Build(obj, new ListingOptions())]), streamed);
    }

    [Theory]
    [MemberData(nameof(TestPaths.SampleNames), MemberType = typeof(TestPaths))]
    public void Check_sarif_and_json_bytes_are_those_before_streaming(string name)
    {
        AnalysisResult[] results = [ObjectAnalyzer.Analyze(TestHelpers.LoadSample(name))];
        Assert.Equal(Golden.Value["sarif " + name], Sha256(CheckReport.Sarif(results, "0.1.0")));
        Assert.Equal(Golden.Value["check-json " + name], Sha256(CheckReport.Json(results, "linux-7.0")));
    }

    [Fact]
    public void Several_objects_and_filters_give_the_same_bytes()
    {
        var objects = TestPaths.AllSamples().Select(p => TestHelpers.LoadSample(Path.GetFileName(p))).ToList();
        Assert.Equal(Golden.Value["dump-json *"], Sha256(DumpJson.Text(objects, new ListingOptions())));
        var results = objects.Select(ObjectAnalyzer.Analyze).ToList();
        Assert.Equal(Golden.Value["sarif *"], Sha256(CheckReport.Sarif(results, "0.1.0")));
        Assert.Equal(Golden.Value["check-json *"], Sha256(CheckReport.Json(results, "linux-7.0")));
        var text = new ListingOptions { Section = ".text" };
        Assert.Equal(Golden.Value["dump-json-section session_subprog-el.o"], Sha256(DumpJson.Text([TestHelpers.LoadSample("session_subprog-el.o")], text)));
        Assert.Equal("{\n  \"schemaVersion\": 1,\n  \"objects\": []\n}\n", DumpJson.Text([], new ListingOptions()));
    }

    [Fact]
    public void Check_reports_write_each_object_before_they_ask_for_the_next()
    {
        // check analyses each object when its report asks for it, and drops it after (issue 8's memory bound): the
        // json and text writers must have written an object out before they ask for the next one.
        var objects = new[] { "session_basic-el.o", "session_bad-el.o" }.Select(TestHelpers.LoadSample).ToList();
        using var json = new StringWriter();
        var seen = new List<string>();
        IEnumerable<AnalysisResult> Results(StringWriter output)
        {
            foreach (var obj in objects)
            {
                seen.Add(output.ToString());
                yield return ObjectAnalyzer.Analyze(obj);
            }
        }

        CheckReport.WriteJson(json, Results(json), "linux-7.0");
        Assert.Equal(CheckReport.Json(objects.Select(ObjectAnalyzer.Analyze), "linux-7.0"), json.ToString());
        Assert.Contains("\"file\": \"session_basic-el.o\"", seen[1], StringComparison.Ordinal);
        Assert.DoesNotContain("session_bad-el.o", seen[1], StringComparison.Ordinal);

        using var text = new StringWriter();
        seen.Clear();
        CheckReport.WriteText(text, Results(text), "linux-7.0", diagnosticsOnly: false);
        Assert.Equal(CheckReport.Text(objects.Select(ObjectAnalyzer.Analyze), "linux-7.0"), text.ToString());
        Assert.Contains("session_basic-el.o: ", seen[1], StringComparison.Ordinal);
        Assert.DoesNotContain("session_bad-el.o", seen[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_stream_writer_gets_the_bytes_directly_after_what_it_holds()
    {
        var obj = TestHelpers.LoadSample("session_subprog-el.o");
        using var bytes = new MemoryStream();
        using (var sw = new StreamWriter(bytes, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
        {
            sw.Write("before\n");
            DumpJson.Write(sw, [obj], new ListingOptions());
            sw.Write("after\n");
        }

        Assert.Equal("before\n" + DumpJson.Text([obj], new ListingOptions()) + "after\n", Encoding.UTF8.GetString(bytes.ToArray()));
    }

    [Fact]
    public void Text_writers_get_multi_byte_characters_whole_across_flushes()
    {
        // 30k strings of 3-byte characters: the writer flushes every 64 KiB, the decoder sees each flush.
        string[] values = [.. Enumerable.Range(0, 30_000).Select(i => "\u20ac" + i + "\u00e9")];
        using var text = new StringWriter();
        JsonOutput.Write(text, w =>
        {
            w.WriteStartArray();
            foreach (var v in values)
            {
                w.WriteStringValue(v);
                JsonOutput.FlushIfFull(w);
            }

            w.WriteEndArray();
        });
        Assert.Equal(values, System.Text.Json.JsonSerializer.Deserialize(text.ToString(), StringArrayContext.Default.StringArray));
        Assert.EndsWith("]\n", text.ToString(), StringComparison.Ordinal);
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>Source-generated (AOT-safe) reader for the test above.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class StringArrayContext : System.Text.Json.Serialization.JsonSerializerContext;
