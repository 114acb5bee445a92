// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Rewrite;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Analysis;

/// <summary>MAX_CALL_FRAMES (8) in the kernel's words, and no recursion in the tool whatever the chain's depth (issue 8).</summary>
public class CallDepthTests
{
    private static AnalysisResult Analyze(byte[] bytes) => ObjectAnalyzer.Analyze(TestHelpers.Load(bytes, "chain.o"));

    [Fact]
    public void Eight_frames_are_accepted_and_patched()
    {
        var analysis = Analyze(HostileObjects.CallChain(8));
        Assert.False(analysis.HasErrors, string.Join("\n", analysis.Diagnostics));
        var verdict = Assert.Single(analysis.Verdicts);
        Assert.Equal(SiteAction.Inline, verdict.Action);
        Assert.NotNull(ObjectRewriter.Rewrite(analysis, new RewriteOptions()).Output);
    }

    [Fact]
    public void Nine_frames_are_rejected_at_the_call_that_pushes_the_ninth()
    {
        var analysis = Analyze(HostileObjects.CallChain(9));
        var e = Assert.Single(analysis.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(DiagnosticIds.CallStackTooDeep, e.Id);
        Assert.Equal("the call stack of 9 frames is too deep", e.Message);
        Assert.Equal("f7", e.Function);
        Assert.Equal("prog", e.Program);
        Assert.Null(ObjectRewriter.Rewrite(analysis, new RewriteOptions()).Output);
    }

    [Fact]
    public void Ten_thousand_frames_are_one_error_not_a_stack_overflow()
    {
        var outcome = FixupPipeline.Run(HostileObjects.CallChain10000, "chain.o", new RewriteOptions());
        Assert.Null(outcome.Patched);
        var e = Assert.Single(outcome.Rewrite!.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal("the call stack of 9 frames is too deep", e.Message);
        Assert.Equal("f7", e.Function);
    }

    [Fact]
    public void Through_global_subprograms_the_whole_graph_gets_the_check_max_stack_depth_wording()
    {
        // Global subprograms are verified from frame 0 each, so only check_max_stack_depth_subprog sees the chain.
        var analysis = Analyze(HostileObjects.CallChain(9));
        var heights = new CallDepth.Heights(analysis.CallGraph, f => f.IsSubprogram);
        var program = analysis.Object.Programs.Single();
        var e = CallDepth.Check(analysis.Object, heights, program, analysis.CallGraph.Reachable(program));
        Assert.Equal("the call stack of 8 frames is too deep !", e?.Message);
        Assert.Equal("f7", e?.Function);

        var eight = Analyze(HostileObjects.CallChain(8));
        var all = new CallDepth.Heights(eight.CallGraph, f => f.IsSubprogram);
        var p8 = eight.Object.Programs.Single();
        Assert.Null(CallDepth.Check(eight.Object, all, p8, eight.CallGraph.Reachable(p8)));
    }

    [Fact]
    public void Recursion_is_reported_as_recursion_only()
    {
        var b = new BpfObjectBuilder();
        var prog = b.Section("kprobe/x");
        int call = prog.Add(Asm.CallRelocated());
        prog.Add(Asm.Exit());
        var text = b.Section(".text");
        text.Add(Asm.CallLocal(-1)); // calls itself
        text.Add(Asm.Exit());
        b.Function("kprobe/x", "prog", 0, global: true).Function(".text", "f", 0, global: false).Relocate("kprobe/x", call, "f", BpfRelocationType.R64_32);
        var analysis = Analyze(b.Build());
        var e = Assert.Single(analysis.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(DiagnosticIds.Recursion, e.Id);
    }

    [Fact]
    public void A_chain_through_callbacks_is_bounded_too()
    {
        // prog loads the address of f1 (a callback) and f1..f8 call each other: the analysis reaches f8 at frame 9.
        var b = new BpfObjectBuilder();
        var prog = b.Section("kprobe/x");
        int load = prog.Add(Instruction.LoadImm64(2, 0, 0));
        prog.Add(Asm.MovImm(0, 0));
        prog.Add(Asm.Exit());
        b.Function("kprobe/x", "prog", 0, global: true).Relocate("kprobe/x", load, BpfObjectBuilder.TextSectionSymbol, BpfRelocationType.R64_64);
        var text = b.Section(".text");
        for (int f = 1; f <= 8; f++)
        {
            int start = text.Add(f < 8 ? Asm.CallLocal(1) : Asm.MovImm(0, 0));
            text.Add(Asm.Exit());
            b.Function(".text", "f" + f, start, global: false);
        }

        var analysis = Analyze(b.Build());
        var e = Assert.Single(analysis.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(DiagnosticIds.CallStackTooDeep, e.Id);
        Assert.Equal("the call stack of 9 frames is too deep", e.Message);
        Assert.Equal("f7", e.Function);
    }
}
