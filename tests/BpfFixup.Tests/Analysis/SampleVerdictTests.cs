// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;

namespace BpfFixup.Tests.Analysis;

public class SampleVerdictTests
{
    public static TheoryData<int, string> Rows()
    {
        var data = new TheoryData<int, string>();
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "Analysis", "sample-verdicts.txt"));
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length > 0 && lines[i][0] != '#')
            {
                data.Add(i + 1, lines[i]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Verdict_matches_the_kernel(int line, string row)
    {
        var f = row.Split('|').Select(s => s.Trim()).ToArray();
        var (objectName, program, where, kfunc, action, r1, message) = (f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
        foreach (var name in new[] { objectName, objectName.Replace("-el.o", "-eb.o", StringComparison.Ordinal) })
        {
            var result = ObjectAnalyzer.Analyze(TestHelpers.LoadSample(name));
            var verdicts = result.Verdicts.Where(v => v.Program.Name == program).ToList();
            var matching = verdicts.Where(v => $"{v.Site.Section.Name}/{v.Site.Function.Name}+{v.Site.Slot}" == where).ToList();
            Assert.True(matching.Count == 1, $"line {line} ({name}): {matching.Count} verdicts at {where}; have: {string.Join(", ", verdicts.Select(x => $"{x.Site.Section.Name}/{x.Site.Function.Name}+{x.Site.Slot} {x.Action}"))}");
            var v = matching[0];
            Assert.Equal(kfunc, BpfFixup.Model.SessionKfuncs.NameOf(v.Site.Kfunc));
            Assert.Equal(action, v.Action.ToString());
            Assert.Equal(r1, v.R1.ToString());
            if (v.Action == SiteAction.Reject)
            {
                Assert.Equal(message, v.Reason);
                Assert.Contains(result.Diagnostics, d => d.Message == message && d.Index == v.Site.Slot && d.Severity == BpfFixup.Diagnostics.Severity.Error);
            }
        }
    }

    [Theory]
    [InlineData("session_basic-el.o")]
    [InlineData("session_kprobe-el.o")]
    [InlineData("session_subprog-el.o")]
    [InlineData("session_asm-el.o")]
    [InlineData("no_session-el.o")]
    [InlineData("session_basic-linked.o")]
    [InlineData("session_basic-el-v4.o")]
    [InlineData("session_subprog-eb-v4.o")]
    [InlineData("session_basic-el-clang22.o")]
    [InlineData("session_subprog-eb-clang22.o")]
    [InlineData("session_asm-el-clang22.o")]
    [InlineData("session_runtime-el.o")]
    [InlineData("session_runtime-eb.o")]
    public void Good_samples_have_no_errors(string name)
    {
        var result = ObjectAnalyzer.Analyze(TestHelpers.LoadSample(name));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
    }
}
