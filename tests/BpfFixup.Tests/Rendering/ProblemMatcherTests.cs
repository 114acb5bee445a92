// SPDX-License-Identifier: MIT
using System.Text.Json;
using System.Text.RegularExpressions;
using BpfFixup.Diagnostics;
using BpfFixup.Rewrite;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Rendering;

/// <summary>
/// .github/bpffixup-matcher.json, the GitHub Actions problem matcher of the README, applied to what <c>check</c> and
/// <c>patch</c> really print: every error and warning line is matched by exactly one of its two patterns, with the
/// diagnostic's source file, line, column, severity, message and id in the groups; no other line (source, caret,
/// hint, note, summary) is matched. The runner evaluates the patterns with .NET's Regex; VS Code with ECMAScript's:
/// both are applied.
/// </summary>
public sealed class ProblemMatcherTests
{
    private static readonly Lazy<IReadOnlyList<Matcher>> Matchers = new(Load);

    [Theory]
    [MemberData(nameof(TestPaths.SampleNames), MemberType = typeof(TestPaths))]
    public void Every_error_and_warning_of_check_is_matched_once_with_its_source_position(string sample)
    {
        string path = TestPaths.Sample(sample);
        var verified = FixupPipeline.Verify(TestHelpers.LoadSample(sample), new RewriteOptions());
        var expected = verified.Diagnostics
            .Where(d => d.Severity != Severity.Note)
            .Select(d => d with { File = path })
            .ToList();
        var r = CliRun.Run("check", path);
        var found = Apply(r.OutLines);
        Assert.Equal(expected.Count, found.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var d = expected[i];
            var (owner, groups) = found[i];
            Assert.Equal(d.Severity == Severity.Error ? "error" : "warning", groups["severity"]);
            Assert.Equal(d.Message, groups["message"]);
            Assert.Equal(d.Id, groups["code"]);
            if (d.Source is { Line: > 0 } source)
            {
                Assert.Equal("bpffixup", owner);
                Assert.Equal(source.File, groups["file"]);
                Assert.True(File.Exists(Path.Combine(TestPaths.RepoRoot, "samples", source.File)), $"{source.File} is not a file under samples/");
                Assert.Equal(source.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), groups["line"]);
                Assert.Equal(source.Column > 0 ? source.Column.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty, groups["column"]);
            }
            else
            {
                Assert.Equal("bpffixup-object", owner);
                Assert.Equal(path, groups["file"]);
            }
        }
    }

    [Fact]
    public void The_bad_sample_gives_four_annotations_on_its_source_lines()
    {
        var r = CliRun.Run("check", TestPaths.Sample("session_bad-el.o"));
        var found = Apply(r.OutLines);
        Assert.Equal(
            ["./src/session_bad.bpf.c:47:6 BPF3010", "./src/session_bad.bpf.c:73:18 BPF3011", "./src/session_bad.bpf.c:63:6 BPF3012", "./src/session_bad.bpf.c:88:6 BPF3011"],
            found.Select(f => $"{f.Groups["file"]}:{f.Groups["line"]}:{f.Groups["column"]} {f.Groups["code"]}"));
        Assert.Equal("R1 expected pointer to ctx, but got fp", found[1].Groups["message"]);
    }

    [Fact]
    public void Lines_without_line_info_are_matched_on_the_object_and_notes_are_not_matched()
    {
        using var dir = new TempDirectory();
        string obj = CliRun.CopyTestData(dir, "empty_prog.o");
        var check = Apply(CliRun.Run("check", obj).OutLines);
        var (owner, groups) = Assert.Single(check);
        Assert.Equal("bpffixup-object", owner);
        Assert.Equal(obj, groups["file"]);
        Assert.Equal("BPF2005", groups["code"]);
        Assert.StartsWith("FUNC symbol 'empty_prog'", groups["message"], StringComparison.Ordinal);

        // A warning of patch on stderr, without a section.
        string input = CliRun.CopySample(dir, "session_basic-el.o");
        var patch = CliRun.Run("patch", input, "-o", dir.File("out.o"), "--keep-debug");
        (owner, groups) = Assert.Single(Apply(patch.ErrLines));
        Assert.Equal(("bpffixup-object", input, "warning", "BPF4003"), (owner, groups["file"], groups["severity"], groups["code"]));

        // Notes (here the old prototype's, and the source line's notes of session_global) are not problems.
        var oldproto = CliRun.Run("check", TestPaths.Sample("session_oldproto-el.o"));
        Assert.Contains(oldproto.OutLines, l => l.Contains(": note: ", StringComparison.Ordinal));
        Assert.DoesNotContain(Apply(oldproto.OutLines), f => f.Groups["severity"] == "note");
        var global = CliRun.Run("check", TestPaths.Sample("session_global-el.o"));
        Assert.Contains(global.OutLines, l => l.Contains(": note: Caller passes invalid args", StringComparison.Ordinal));
        Assert.Single(Apply(global.OutLines));
    }

    /// <summary>The matches of <paramref name="lines"/>, in order; a line two patterns match fails the test.</summary>
    private static List<(string Owner, Dictionary<string, string> Groups)> Apply(IEnumerable<string> lines)
    {
        var found = new List<(string, Dictionary<string, string>)>();
        foreach (string line in lines)
        {
            var hits = Matchers.Value.Select(m => (m, groups: m.Match(line))).Where(x => x.groups is not null).ToList();
            Assert.True(hits.Count <= 1, $"two patterns match: {line}");
            if (hits.Count == 1)
            {
                found.Add((hits[0].m.Owner, hits[0].groups!));
            }
        }

        return found;
    }

    private static IReadOnlyList<Matcher> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, ".github", "bpffixup-matcher.json")));
        var matchers = new List<Matcher>();
        foreach (var m in doc.RootElement.GetProperty("problemMatcher").EnumerateArray())
        {
            var pattern = Assert.Single(m.GetProperty("pattern").EnumerateArray());
            var groups = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var p in pattern.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number))
            {
                groups[p.Name] = p.Value.GetInt32();
            }

            string regexp = pattern.GetProperty("regexp").GetString()!;
            matchers.Add(new Matcher(m.GetProperty("owner").GetString()!, new Regex(regexp), new Regex(regexp, RegexOptions.ECMAScript), groups));
        }

        Assert.Equal(["bpffixup", "bpffixup-object"], matchers.Select(m => m.Owner));
        return matchers;
    }

    private sealed record Matcher(string Owner, Regex Dotnet, Regex Ecma, Dictionary<string, int> Groups)
    {
        public Dictionary<string, string>? Match(string line)
        {
            var m = Dotnet.Match(line);
            var e = Ecma.Match(line);
            Assert.True(m.Success == e.Success, $"{Owner}: .NET and ECMAScript patterns disagree on: {line}");
            if (!m.Success)
            {
                return null;
            }

            var groups = Groups.ToDictionary(g => g.Key, g => m.Groups[g.Value].Value, StringComparer.Ordinal);
            Assert.Equal(groups, Groups.ToDictionary(g => g.Key, g => e.Groups[g.Value].Value, StringComparer.Ordinal));
            return groups;
        }
    }
}
