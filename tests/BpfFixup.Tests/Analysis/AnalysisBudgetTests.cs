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
        var obj = TestHelpers.Load(ManyProgramsOneBigSubprogram(1000, 20_000), "budget.o");
        long instructions = obj.CodeSections.Sum(c => (long)c.Instructions.Length);
        var budget = AnalysisBudget.ForObject(instructions);
        var analysis = ObjectAnalyzer.Analyze(obj, null, replayReports: true, shareContexts: true, budget);

        var e = Assert.Single(analysis.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(DiagnosticIds.AnalysisLimit, e.Id);
        Assert.StartsWith($"BPF program is too large. Processed {budget.Processed} insn (this object's analysis stops past {budget.Limit} = 64 x its instructions + 1000000;", e.Message);
        // Stopped at the first block past the limit: the cost is the budget, not programs x subprogram.
        Assert.InRange(budget.Processed, budget.Limit + 1, budget.Limit + 20_002);
        Assert.Equal((64 * instructions) + 1_000_000, budget.Limit);
        Assert.True(1000L * 20_000 > 5 * budget.Limit, "the object must need many times the budget");
        Assert.DoesNotContain(analysis.Verdicts, v => v.Program.Name == e.Program); // nothing of the incomplete analysis
    }

    [Fact]
    public void The_same_programs_within_the_budget_are_analysed_in_full()
    {
        var obj = TestHelpers.Load(ManyProgramsOneBigSubprogram(10, 20_000), "fits.o");
        var budget = AnalysisBudget.ForObject(obj.CodeSections.Sum(c => (long)c.Instructions.Length));
        var analysis = ObjectAnalyzer.Analyze(obj, null, replayReports: true, shareContexts: true, budget);
        Assert.False(analysis.HasErrors, string.Join("\n", analysis.Diagnostics));
        Assert.False(budget.Exhausted);
        Assert.InRange(budget.Processed, 10 * 20_002, 11 * 20_002); // each program's own context, once
    }

    [Fact]
    public void Check_reports_the_limit_as_a_verdict_and_patch_refuses()
    {
        using var dir = new TempDirectory();
        string path = dir.File("budget.o");
        File.WriteAllBytes(path, ManyProgramsOneBigSubprogram(300, 20_000)); // 6M instructions of work, a budget of 2.4M
        var check = CliRun.Run("check", path);
        Assert.Equal(1, check.Code);
        Assert.Contains("BPF program is too large. Processed ", check.ToString());
        var patch = CliRun.Run("patch", path, "-o", dir.File("out.o"));
        Assert.Equal(1, patch.Code);
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
