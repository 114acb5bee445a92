// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Model;
using BpfFixup.Rewrite;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Analysis;

/// <summary>
/// Programs that share one subprogram cost programs x its size to follow: the sum is bounded by a fixed multiple of the
/// object (issue 8), and an object past it is bad input with one error, not hours of work and gigabytes of report.
/// </summary>
public class ReachBudgetTests
{
    // 400 programs of 3 instructions, each reaching sub (3 + 2 x 2,000 = 4,003 instructions): 4,006 each, 1,602,400 in
    // all. The object holds 5,203 instructions, so the budget is 64 x 5,203 + 1,000,000 = 1,332,992: program 332 passes it.
    private static readonly Lazy<byte[]> OverBudget = new(() => HostileObjects.SharedSubprogram(400, 2_000));

    [Fact]
    public void The_budget_is_the_analysis_budget_64_times_the_objects_instructions_and_one_kernel_program()
    {
        var small = TestHelpers.Load(HostileObjects.SharedSubprogram(2, 10), "small.o");
        Assert.Equal((64L * ((2 * 3) + 3 + (2 * 10))) + 1_000_000, ReachBudget.Of(small));
        var large = TestHelpers.Load(HostileObjects.SharedSubprogram(1, 10_000), "large.o");
        Assert.Equal((64L * (3 + 3 + (2 * 10_000))) + 1_000_000, ReachBudget.Of(large));
        Assert.Equal(AnalysisBudget.ForObject(large).Limit, ReachBudget.Of(large));
    }

    [Fact]
    public void Every_program_is_followed_up_to_the_budget()
    {
        // 249 programs of 3 + 4,003 reach 997,494 instructions: under the constant alone, so every reach is kept.
        var obj = TestHelpers.Load(HostileObjects.SharedSubprogram(249, 2_000), "under.o");
        var reaches = ReachBudget.Reaches(obj, new CallGraph(obj), out var over);
        Assert.Null(over);
        Assert.NotNull(reaches);
        Assert.Equal(249, reaches.Count);
        Assert.All(reaches, r => Assert.Equal(["sub"], r.Skip(1).Select(f => f.Name)));
    }

    [Fact]
    public void The_program_that_passes_the_budget_is_named_with_the_sum_and_the_limit()
    {
        var obj = TestHelpers.Load(OverBudget.Value, "shared.o");
        Assert.Null(ReachBudget.Reaches(obj, new CallGraph(obj), out var over));
        Assert.NotNull(over);
        Assert.Equal(DiagnosticIds.ReachLimit, over.Id);
        Assert.Equal(Severity.Error, over.Severity);
        Assert.Equal("fsession/f332", over.Section);
        Assert.Equal("p332", over.Function);
        Assert.Equal(0, over.Index);
        Assert.Equal(
            "the programs up to this one reach 1333998 instructions with the subprograms each calls, more than bpffixup follows in one object (1332992 = 64 x its 5203 instructions + 1000000)",
            over.Message);
    }

    [Fact]
    public void An_object_past_the_budget_is_one_error_no_verdicts_and_bad_input()
    {
        var analysis = ObjectAnalyzer.Analyze(TestHelpers.Load(OverBudget.Value, "shared.o"));
        var e = Assert.Single(analysis.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(DiagnosticIds.ReachLimit, e.Id);
        Assert.Empty(analysis.Programs);

        var outcome = FixupPipeline.Run(OverBudget.Value, "shared.o", new RewriteOptions());
        Assert.Null(outcome.Rewrite!.Output);
        Assert.Equal("the input is too large to follow", outcome.Rejected!.Reason);
        Assert.True(outcome.Rejected.InputDamaged);
        Assert.Equal(outcome.Rewrite.Diagnostics.Where(d => d.Severity == Severity.Error), FixupPipeline.Verify(TestHelpers.Load(OverBudget.Value, "shared.o"), new RewriteOptions()).Diagnostics.Where(d => d.Severity == Severity.Error));
    }

    [Fact]
    public void Programs_that_share_a_subprogram_under_the_budget_are_each_followed()
    {
        var analysis = ObjectAnalyzer.Analyze(TestHelpers.Load(HostileObjects.SharedSubprogram(3, 4), "shared.o"));
        Assert.False(analysis.HasErrors, string.Join("\n", analysis.Diagnostics));
        Assert.Equal(3, analysis.Programs.Count);
        Assert.All(analysis.Programs, p => Assert.Equal(4, p.Sites.Count(s => s.Action == SiteAction.Inline)));
    }
}
