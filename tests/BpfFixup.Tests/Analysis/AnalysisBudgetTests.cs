// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Model;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Analysis;

/// <summary>
/// The whole object's analysis stops past a fixed multiple of its instructions (AnalysisBudget), with one error in
/// the words of the kernel's complexity limit, however many programs multiply the work of one subprogram.
/// </summary>
public class AnalysisBudgetTests
{
    /// <summary>
    /// <paramref name="programs"/> fsession programs, each calling one straight-line subprogram of
    /// <paramref name="length"/> instructions with its own constant in r2, so no program can take another's context.
    /// </summary>
    private static byte[] ManyProgramsOneBigSubprogram(int programs, int length)
    {
        var b = new BpfObjectBuilder();
        for (int p = 0; p < programs; p++)
        {
            string section = $"fsession/vfs_read_{p}";
            var prog = b.Section(section);
            prog.Add(Asm.MovImm(2, p));
            int call = prog.Add(Asm.CallRelocated());
            prog.Add(Asm.MovImm(0, 0));
            prog.Add(Asm.Exit());
            b.Function(section, $"p{p}", 0, global: true);
            b.Relocate(section, call, "big", BpfRelocationType.R64_32);
        }

        var text = b.Section(".text");
        text.Add(Asm.MovReg(3, 2));
        for (int k = 0; k < length; k++)
        {
            text.Add(Asm.AluImm(Opcodes.Add, 3, 1));
        }

        text.Add(Asm.Exit());
        b.Function(".text", "big", 0, global: false);
        return b.Build();
    }

    [Fact]
    public void Many_programs_entering_one_large_subprogram_stop_at_the_budget_with_one_error()
    {
        // 40 programs reach 800,240 instructions, within the reach budget (ReachBudget) of 2,290,368; the distinct
        // constants make each program analyse its own context, so a budget of 300,000 runs out at the 15th.
        var obj = TestHelpers.Load(ManyProgramsOneBigSubprogram(40, 20_000), "budget.o");
        var budget = new AnalysisBudget(300_000);
        var analysis = ObjectAnalyzer.Analyze(obj, null, replayReports: true, shareContexts: true, budget);

        var e = Assert.Single(analysis.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(DiagnosticIds.AnalysisLimit, e.Id);
        Assert.StartsWith($"BPF program is too large. Processed {budget.Processed} insn (this object's analysis stops past {budget.Limit} = ", e.Message);
        // Stopped at the first block past the limit: the cost is the budget, not programs x subprogram.
        Assert.InRange(budget.Processed, budget.Limit + 1, budget.Limit + 20_002);
        Assert.DoesNotContain(analysis.Verdicts, v => v.Program.Name == e.Program); // nothing of the incomplete analysis
    }

    [Fact]
    public void An_objects_budget_is_64_times_its_instructions_and_the_kernels_limit_for_one_program()
    {
        var obj = TestHelpers.Load(ManyProgramsOneBigSubprogram(1000, 20_000), "budget.o");
        long instructions = AnalysisBudget.InstructionsOf(obj);
        Assert.Equal((64 * instructions) + 1_000_000, AnalysisBudget.ForObject(instructions).Limit);
    }

    [Fact]
    public void The_same_programs_within_the_budget_are_analysed_in_full()
    {
        var obj = TestHelpers.Load(ManyProgramsOneBigSubprogram(10, 20_000), "fits.o");
        var budget = AnalysisBudget.ForObject(obj);
        var analysis = ObjectAnalyzer.Analyze(obj, null, replayReports: true, shareContexts: true, budget);
        Assert.False(analysis.HasErrors, string.Join("\n", analysis.Diagnostics));
        Assert.False(budget.Exhausted);
        Assert.InRange(budget.Processed, 10 * 20_002, 11 * 20_002); // each program's own context, once
    }

    [Fact]
    public void An_object_whose_programs_reach_more_than_the_budget_is_refused_before_the_analysis()
    {
        // 300 programs each reaching the 20,002 instructions of big: 6M, against a budget of 2.4M (ReachBudget).
        using var dir = new TempDirectory();
        string path = dir.File("budget.o");
        File.WriteAllBytes(path, ManyProgramsOneBigSubprogram(300, 20_000));
        var check = CliRun.Run("check", path);
        Assert.Equal(2, check.Code);
        Assert.Contains("more than bpffixup follows in one object", check.ToString(), StringComparison.Ordinal);
        var patch = CliRun.Run("patch", path, "-o", dir.File("out.o"));
        Assert.Equal(2, patch.Code);
        Assert.False(File.Exists(dir.File("out.o")));
    }

    [Fact]
    public void A_budget_counts_what_is_spent_and_stops_past_its_limit()
    {
        var budget = new AnalysisBudget(10);
        Assert.True(budget.Spend(10));
        Assert.False(budget.Exhausted);
        Assert.False(budget.Spend(1));
        Assert.True(budget.Exhausted);
        Assert.Equal(11, budget.Processed);
    }
}
