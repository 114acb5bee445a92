// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Model;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Analysis;

/// <summary>
/// Programs of one object take each other's analysed call contexts (SharedContexts) instead of running the fixpoint
/// again: on every sample, test object and fuzzing find, and on objects made to catch a context taken where the
/// program would have seen it differently (another program type, another frame depth, after widening), every
/// diagnostic, verdict and ctx load is what analysing each program afresh gives.
/// </summary>
public class SharedContextTests
{
    public static TheoryData<string> Objects() => ReportReplayTests.Objects();

    [Theory]
    [MemberData(nameof(Objects))]
    public void Shared_contexts_give_what_each_program_finds_alone(string path)
    {
        if (TestHelpers.LoadIfValid(path) is not { } obj)
        {
            return; // an object the loader refuses has no analysis
        }

        AssertSameAsAlone(obj);
    }

    [Fact]
    public void Fuzz_finds_share_as_they_run_alone()
    {
        int analysed = 0;
        foreach (var obj in ReportReplayTests.FuzzFinds())
        {
            analysed++;
            AssertSameAsAlone(obj);
        }

        Assert.True(analysed > 0, "no fuzz find loaded");
    }

    [Fact]
    public void Programs_of_other_types_and_sleepable_ones_share_a_subprogram_and_keep_their_verdicts()
    {
        // One subprogram calling bpf_session_cookie(ctx), reached from four programs: the analysis is shared, the
        // verdict is each program's own (SessionKfuncRules judges R1 with the program's type).
        var b = new BpfObjectBuilder();
        string[] sections = ["fsession/vfs_read", "fentry/vfs_read", "fsession.s/vfs_read", "kprobe.session/vfs_read"];
        foreach (var (section, k) in sections.Select((s, k) => (s, k)))
        {
            var prog = b.Section(section);
            int call = prog.Add(Asm.CallRelocated());
            prog.Add(Asm.MovImm(0, 0));
            prog.Add(Asm.Exit());
            b.Function(section, "p" + k, 0, global: true);
            b.Relocate(section, call, "sub", BpfRelocationType.R64_32);
        }

        var text = b.Section(".text");
        int kfunc = text.Add(Asm.CallRelocated());
        text.Add(Asm.Exit());
        b.Function(".text", "sub", 0, global: false);
        b.Extern("bpf_session_cookie").Relocate(".text", kfunc, "bpf_session_cookie", BpfRelocationType.R64_32);
        var obj = TestHelpers.Load(b.Build(), "types.o");

        var analysis = AssertSameAsAlone(obj, saves: true);
        Assert.Equal(
            ["p0 Inline ctx", "p1 Reject ctx", "p2 Inline ctx", "p3 Keep ctx"],
            analysis.Verdicts.Select(v => $"{v.Program.Name} {v.Action} {v.R1}"));
        Assert.Contains(analysis.Diagnostics, d => d.Program == "p1" && d.Message == "calling kernel function bpf_session_cookie is not allowed");
    }

    [Theory]
    [InlineData(6, true)] // the shared subprogram's second frame would be the 9th: analysed there, refused
    [InlineData(5, false)] // it is the 8th: taken as it is
    public void A_subprogram_shared_at_another_depth_meets_the_frame_limit_where_the_program_does(int chain, bool tooDeep)
    {
        // Program a calls f1 -> f2 (which calls a kfunc) from frame 1; program b reaches f1 through g1..g<chain>.
        var b = new BpfObjectBuilder();
        foreach (var (section, name, callee) in new[] { ("fsession/vfs_read", "a", "f1"), ("fsession/vfs_write", "b", "g1") })
        {
            var prog = b.Section(section);
            prog.Add(Asm.MovReg(6, 1));
            int call = prog.Add(Asm.CallRelocated());
            prog.Add(Asm.MovImm(0, 0));
            prog.Add(Asm.Exit());
            b.Function(section, name, 0, global: true);
            b.Relocate(section, call, callee, BpfRelocationType.R64_32);
        }

        var text = b.Section(".text");
        for (int g = 1; g <= chain; g++)
        {
            int start = text.Add(Asm.CallLocal(1)); // the next function
            text.Add(Asm.Exit());
            b.Function(".text", "g" + g, start, global: false);
        }

        int f1 = text.Add(Asm.CallLocal(1));
        text.Add(Asm.Exit());
        b.Function(".text", "f1", f1, global: false);
        int f2 = text.Add(Asm.CallRelocated());
        text.Add(Asm.Exit());
        b.Function(".text", "f2", f2, global: false);
        b.Extern("bpf_session_is_return").Relocate(".text", f2, "bpf_session_is_return", BpfRelocationType.R64_32);
        var obj = TestHelpers.Load(b.Build(), "depth.o");

        var analysis = AssertSameAsAlone(obj, saves: !tooDeep);
        // b's analysis never enters f2 when f1 is its 8th frame: no verdict there, and the frame error.
        Assert.Equal(tooDeep ? ["a Inline"] : ["a Inline", "b Inline"], analysis.Verdicts.Select(v => $"{v.Program.Name} {v.Action}"));
        Assert.Equal(tooDeep, analysis.Diagnostics.Any(d => d.Id == DiagnosticIds.CallStackTooDeep && d.Program == "b"));
    }

    [Fact]
    public void Contexts_taken_from_another_program_count_towards_widening()
    {
        // sub returns its r2. Program a calls it with 0..15 (16 contexts, each shared); program c with 0..15 (taken
        // from a), then 16 and 17: the 17th and 18th argument states widen to one context entered with [16, 17], so c
        // exits with R0 in [16, 17]; a context made for 17 alone would give 17.
        var b = new BpfObjectBuilder();
        foreach (var (section, name, args, keep) in new[] { ("fsession/vfs_read", "a", Enumerable.Range(0, 16), false), ("fsession/vfs_write", "c", Enumerable.Range(0, 18), true) })
        {
            var prog = b.Section(section);
            prog.Add(Asm.MovReg(6, 1));
            foreach (int k in args)
            {
                prog.Add(Asm.MovReg(1, 6));
                prog.Add(Asm.MovImm(2, k));
                int call = prog.Add(Asm.CallRelocated());
                b.Relocate(section, call, "sub", BpfRelocationType.R64_32);
            }

            if (!keep)
            {
                prog.Add(Asm.MovImm(0, 0));
            }

            prog.Add(Asm.Exit());
            b.Function(section, name, 0, global: true);
        }

        var text = b.Section(".text");
        text.Add(Asm.MovReg(6, 2));
        int kfunc = text.Add(Asm.CallRelocated());
        text.Add(Asm.MovReg(0, 6));
        text.Add(Asm.Exit());
        b.Function(".text", "sub", 0, global: false);
        b.Extern("bpf_session_is_return").Relocate(".text", kfunc, "bpf_session_is_return", BpfRelocationType.R64_32);
        var obj = TestHelpers.Load(b.Build(), "widen.o");

        var analysis = AssertSameAsAlone(obj, saves: true);
        var e = Assert.Single(analysis.Diagnostics, d => d.Id == DiagnosticIds.ReturnRange);
        Assert.Equal("c", e.Program);
        Assert.Equal("At program exit the register R0 has smin=16 smax=17 should have been in [0, 0]", e.Message);
    }

    /// <summary>
    /// Analyses <paramref name="obj"/> with and without sharing, asserts the same findings, and, where two programs
    /// reach the same subprogram, that sharing saved work (so the comparison compared two different runs).
    /// </summary>
    private static AnalysisResult AssertSameAsAlone(BpfObject obj, bool saves = false)
    {
        var sharedLoads = new Dictionary<BpfFunction, IReadOnlyList<CtxLoad>>();
        var aloneLoads = new Dictionary<BpfFunction, IReadOnlyList<CtxLoad>>();
        var sharedBudget = AnalysisBudget.ForObject(obj);
        var aloneBudget = AnalysisBudget.ForObject(obj);
        var shared = ObjectAnalyzer.Analyze(obj, null, replayReports: true, shareContexts: true, sharedBudget, sharedLoads);
        var alone = ObjectAnalyzer.Analyze(obj, null, replayReports: true, shareContexts: false, aloneBudget, aloneLoads);
        Assert.Equal(Describe(alone, aloneLoads), Describe(shared, sharedLoads));
        Assert.True(saves ? sharedBudget.Processed < aloneBudget.Processed : sharedBudget.Processed <= aloneBudget.Processed, $"{sharedBudget.Processed} insns processed shared, {aloneBudget.Processed} alone");
        return shared;
    }

    private static List<string> Describe(AnalysisResult r, Dictionary<BpfFunction, IReadOnlyList<CtxLoad>> loads)
    {
        var lines = r.Diagnostics.Select(d => $"{d.Id} {d.Severity} {d.Section} {d.Function} {d.Program} {d.Index} {d.Source} {d.Message}").ToList();
        lines.AddRange(r.Verdicts.Select(v => $"{v.Program.Name} {v.Site.Section.Name}+{v.Site.Insn} {v.Action} {v.R1} {v.R1.CtxOffset} {v.Reason}"));
        lines.AddRange(r.Programs.SelectMany(p => loads.GetValueOrDefault(p.Program, []).Select(l => $"{p.Program.Name} load {l.Function.Name}+{l.Insn} {l.Offset} {l.Size}")));
        return lines;
    }
}
