// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Model;
using BpfFixup.Rewrite;
using System.Text.RegularExpressions;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests;

/// <summary>The library example of README.md, kept compiling and true.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void Library_example_runs()
    {
        string path = TestPaths.Sample("session_subprog-el.o");

        // README: "Use as a library"
        var diagnostics = new DiagnosticBag();
        BpfObject? obj = ObjectLoader.LoadFile(path, diagnostics);          // null, with one error, when malformed
        AnalysisResult analysis = ObjectAnalyzer.Analyze(obj!);               // the verifier-like pass
        foreach (var v in analysis.Verdicts)                                  // per program and call site
        {
            Console.WriteLine($"{v.Program.Name}: {v.Site.Function.Name}+{v.Site.Slot} {v.Action} (R1={v.R1})");
        }

        RewriteResult result = ObjectRewriter.Rewrite(analysis, new RewriteOptions { Abi = KernelAbi.Find("linux-7.0")! });
        byte[]? patched = result.Output;                                      // null when the kernel would reject it
        // end of README example

        Assert.Empty(diagnostics.Items);
        Assert.Equal(9, analysis.Verdicts.Count()); // 3 (read_sess) + 4 (write_sess) + 2 (kwrite_sess)
        Assert.NotNull(patched);
        Assert.Equal(4, result.Summary!.IsReturnInlined + result.Summary.CookieInlined);
    }

    [Fact]
    public void Ci_recipe_bpffixup_steps_run_as_written()
    {
        // README: "CI recipe (GitHub Actions)". The whole recipe (publish included) runs in .ci/readme-recipe.sh;
        // here its bpffixup steps run in-process in a repository of its shape, bpf/ holding two samples.
        var steps = RecipeSteps();
        Assert.DoesNotContain(steps, s => s.Contains("dotnet tool install", StringComparison.Ordinal)); // not on nuget.org
        Assert.Contains(steps, s => s.StartsWith("dotnet publish tools/bpffixup/src/BpfFixup.Cli -c Release -r linux-x64 -p:PublishAot=true -o ", StringComparison.Ordinal));
        string accept = Regex.Match(Section("## CI recipe"), "`(bpffixup snapshot [^`]*--accept)`").Groups[1].Value;
        using var repo = new TempDirectory();
        Directory.CreateDirectory(repo.File("bpf"));
        File.Copy(TestPaths.Sample("session_basic-el.o"), repo.File("bpf/session_basic.o"));
        File.Copy(TestPaths.Sample("session_subprog-el.o"), repo.File("bpf/session_subprog.o"));
        using var runnerTemp = new TempDirectory();
        var ran = new List<string>();
        foreach (string step in steps.Where(s => s.StartsWith("bpffixup ", StringComparison.Ordinal)))
        {
            if (step.Contains("--check", StringComparison.Ordinal))
            {
                Assert.Equal(0, RunStep(accept, repo.Path, runnerTemp.Path).Code);
            }

            var r = RunStep(step, repo.Path, runnerTemp.Path);
            Assert.True(r.Code == 0, $"{step}: {r}");
            ran.Add(step);
        }

        Assert.Equal(3, ran.Count); // check (its lines for the problem matcher), check --format sarif, snapshot --check
        string sarif = File.ReadAllText(Path.Combine(runnerTemp.Path, "bpffixup.sarif"));
        Assert.Contains("\"version\": \"2.1.0\"", sarif, StringComparison.Ordinal);
        Assert.Equal(["bpf"], repo.Names()); // outputs under $RUNNER_TEMP; snapshots under bpf/
    }

    [Fact]
    public void Tool_installs_in_the_readme_name_a_local_source()
    {
        foreach (Match m in Regex.Matches(File.ReadAllText(Readme), "dotnet tool install[^\n]*"))
        {
            Assert.Contains("--add-source", m.Value, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Readme_outputs_are_ignored_by_git()
    {
        // The directories the README's commands write into the repository (-o, --out-dir of dotnet and bpffixup).
        string install = Section("## Install") + Section("## Quick start");
        var outputs = Regex.Matches(install, @"(?:-o|--out-dir) ([A-Za-z][\w.-]*)").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Equal(["aot", "nupkg", "out"], outputs.Order(StringComparer.Ordinal));
        var ignore = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, ".gitignore"));
        Assert.All(outputs, o => Assert.Contains("/" + o + "/", ignore));
    }

    [Fact]
    public void The_solution_dotnet_test_builds_has_no_benchmark_project()
    {
        // dotnet test BpfFixup.sln restores every project of the solution: none may pull in BenchmarkDotNet.
        string sln = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "BpfFixup.sln"));
        var projects = Regex.Matches(sln, "\"([^\"]+\\.csproj)\"").Select(m => m.Groups[1].Value.Replace('\\', '/')).ToList();
        Assert.Equal(["src/BpfFixup/BpfFixup.csproj", "src/BpfFixup.Cli/BpfFixup.Cli.csproj", "tests/BpfFixup.Tests/BpfFixup.Tests.csproj"], projects);
        foreach (string project in projects)
        {
            Assert.DoesNotContain("BenchmarkDotNet", File.ReadAllText(Path.Combine(TestPaths.RepoRoot, project)), StringComparison.Ordinal);
        }

        Assert.Contains("dotnet test BpfFixup.sln\n", File.ReadAllText(Readme), StringComparison.Ordinal);
    }

    private static string Readme => Path.Combine(TestPaths.RepoRoot, "README.md");

    /// <summary>The README from <paramref name="heading"/> to the next heading of the same level.</summary>
    private static string Section(string heading)
    {
        string text = File.ReadAllText(Readme);
        int start = text.IndexOf("\n" + heading, StringComparison.Ordinal);
        Assert.True(start >= 0, heading);
        int end = text.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? text[start..] : text[start..end];
    }

    /// <summary>The <c>run:</c> commands of the recipe's workflow, without trailing YAML comments.</summary>
    private static List<string> RecipeSteps()
    {
        string yaml = Regex.Match(Section("## CI recipe"), "```yaml\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        return Regex.Matches(yaml, @"^\s*- run: (.*)$", RegexOptions.Multiline)
            .Select(m => Regex.Replace(m.Groups[1].Value, @"\s+#[^""']*$", string.Empty)).ToList();
    }

    /// <summary>
    /// Runs a one-line shell command of the form <c>bpffixup ARGS [&gt; FILE]</c> in-process, in <paramref name="cwd"/>
    /// terms: <c>bpf/*.o</c> expands to the objects there, <c>$RUNNER_TEMP</c> to <paramref name="runnerTemp"/>.
    /// </summary>
    private static CliResult RunStep(string command, string cwd, string runnerTemp)
    {
        string? redirect = null;
        var args = new List<string>();
        var words = Regex.Matches(command, "\"[^\"]*\"|\\S+").Select(m => m.Value.Trim('"').Replace("$RUNNER_TEMP", runnerTemp, StringComparison.Ordinal)).ToList();
        Assert.Equal("bpffixup", words[0]);
        for (int i = 1; i < words.Count; i++)
        {
            if (words[i] == ">")
            {
                redirect = words[++i];
            }
            else if (words[i].EndsWith("/*.o", StringComparison.Ordinal))
            {
                var dir = Path.Combine(cwd, words[i][..^4]);
                args.AddRange(Directory.GetFiles(dir, "*.o").Order(StringComparer.Ordinal));
            }
            else
            {
                args.Add(words[i].StartsWith("bpf/", StringComparison.Ordinal) ? Path.Combine(cwd, words[i]) : words[i]);
            }
        }

        var r = CliRun.Run([.. args]);
        if (redirect is not null)
        {
            File.WriteAllText(redirect, r.Out);
        }

        return r;
    }
}
