// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Model;

namespace BpfFixup.Tests.Analysis;

/// <summary>
/// The reporting pass replays what the fixpoint's last transfer of each block logged (ReportLog) instead of running
/// the block again: on every sample, the generated objects of the tests' data and the saved fuzzing finds, the
/// verdicts and every diagnostic are the same as with the pass running every block.
/// </summary>
public class ReportReplayTests
{
    public static TheoryData<string> Objects()
    {
        var data = new TheoryData<string>();
        foreach (var f in TestPaths.AllSamples().Concat(TestPaths.CoreSamples()))
        {
            data.Add(f);
        }

        var testData = Path.Combine(AppContext.BaseDirectory, "TestData");
        foreach (var f in Directory.GetFiles(testData, "*.o", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(f);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void Replayed_reports_equal_a_second_pass(string path)
    {
        if (TestHelpers.LoadIfValid(path) is not { } obj)
        {
            return; // an object the loader refuses has no analysis
        }

        var replayed = ObjectAnalyzer.Analyze(obj, null, replayReports: true);
        var rerun = ObjectAnalyzer.Analyze(obj, null, replayReports: false);
        Assert.Equal(Describe(rerun), Describe(replayed));
    }

    [Fact]
    public void Fuzz_finds_replay_as_a_second_pass()
    {
        int analysed = 0;
        foreach (var obj in FuzzFinds())
        {
            analysed++;
            Assert.Equal(Describe(ObjectAnalyzer.Analyze(obj, null, replayReports: false)), Describe(ObjectAnalyzer.Analyze(obj, null, replayReports: true)));
        }

        Assert.True(analysed > 0, "no fuzz find loaded");
    }

    /// <summary>The saved fuzzing finds (TestData/Fuzz/*.hex) that the loader accepts, in name order.</summary>
    internal static IEnumerable<BpfObject> FuzzFinds()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "TestData", "Fuzz"), "*.hex").Order(StringComparer.Ordinal))
        {
            var bytes = Convert.FromHexString(string.Concat(File.ReadAllLines(file).Where(l => !l.StartsWith('#')).Select(l => l.Trim())));
            var diags = new DiagnosticBag();
            if (ObjectLoader.TryLoad(bytes, Path.GetFileName(file), diags, out var obj))
            {
                yield return obj!;
            }
        }
    }

    [Fact]
    public void A_second_pass_is_what_the_switch_turns_off()
    {
        // The comparison above is only worth something if the two settings run different code: with replay off the
        // log records nothing, so a block's report comes from running it again.
        var log = new ReportLog(1, new StatePool { ReplayReports = false });
        Assert.False(log.BeginTransfer());
        Assert.Null(log.RunOf(0));
        var on = new ReportLog(1, new StatePool());
        Assert.True(on.BeginTransfer());
        on.EndTransfer(0, 1);
        Assert.Equal((0, 0), on.RunOf(0));
    }

    private static List<string> Describe(AnalysisResult r)
    {
        var lines = r.Diagnostics.Select(d => $"{d.Id} {d.Severity} {d.Section} {d.Function} {d.Program} {d.Index} {d.Source} {d.Message}").ToList();
        lines.AddRange(r.Verdicts.Select(v => $"{v.Program.Name} {v.Site.Section.Name}+{v.Site.Insn} {v.Action} {v.R1} {v.R1.CtxOffset} {v.Reason}"));
        return lines;
    }
}
