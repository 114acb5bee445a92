// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Isa;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Analysis;

/// <summary>check_return_code for fentry/fexit/fsession (R0 in [0, 0]) with the constant tracking it needs, and "cannot tell" where it runs out.</summary>
public class ReturnCodeTests
{
    internal static List<Diagnostic> Analyze(string section, params Instruction[] code)
    {
        var b = new BpfObjectBuilder();
        var s = b.Section(section);
        foreach (var insn in code)
        {
            s.Add(insn);
        }

        b.Function(section, "prog", 0, global: true);
        return ObjectAnalyzer.Analyze(TestHelpers.Load(b.Build(), "prog.o")).Diagnostics.Where(d => d.Severity != Severity.Note).ToList();
    }

    [Theory]
    [InlineData("fsession/vfs_read")]
    [InlineData("fentry/vfs_read")]
    [InlineData("fexit/vfs_read")]
    public void Constant_one_is_rejected_with_smin_smax(string section)
    {
        var d = Assert.Single(Analyze(section, Asm.MovImm(0, 1), Asm.Exit()));
        Assert.Equal((DiagnosticIds.ReturnRange, Severity.Error), (d.Id, d.Severity));
        Assert.Equal("At program exit the register R0 has smin=1 smax=1 should have been in [0, 0]", d.Message);
        Assert.Equal(1, d.Index);
    }

    [Fact]
    public void Constant_folding_through_alu64_and_alu32()
    {
        // r0 = 5; r0 -= 2; r0 *= 3 -> 9; w0 = -1 -> 0xffffffff (zero-extended).
        Assert.Equal("At program exit the register R0 has smin=9 smax=9 should have been in [0, 0]",
            Assert.Single(Analyze("fsession/x", Asm.MovImm(0, 5), Asm.AluImm(Opcodes.Sub, 0, 2), Asm.AluImm(Opcodes.Mul, 0, 3), Asm.Exit())).Message);
        Assert.Equal("At program exit the register R0 has smin=4294967295 smax=4294967295 should have been in [0, 0]",
            Assert.Single(Analyze("fsession/x", Instruction.Create(Opcodes.ClassAlu | Opcodes.Mov | Opcodes.SourceK, 0, 0, 0, -1), Asm.Exit())).Message);
        Assert.Empty(Analyze("fsession/x", Asm.MovImm(0, 7), Asm.AluImm(Opcodes.Xor, 0, 7), Asm.Exit()));
        Assert.Empty(Analyze("fsession/x", Asm.MovImm(0, 3), Asm.MovImm(1, 3), Asm.AluReg(Opcodes.Sub, 0, 1), Asm.Exit()));
    }

    [Fact]
    public void An_unbounded_helper_result_is_unknown_scalar_value()
    {
        var d = Assert.Single(Analyze("fsession/x", Asm.CallHelper(14), Asm.Exit()));
        Assert.Equal("At program exit the register R0 has unknown scalar value should have been in [0, 0]", d.Message);
        Assert.Equal(Severity.Error, d.Severity);
    }

    [Fact]
    public void The_equal_edge_of_a_branch_proves_zero_also_through_a_copy()
    {
        // r0 = pid_tgid; r6 = r0; if r6 != 0 goto +1; exit (r0 == 0 here, linked to r6); r0 = 0; exit
        Assert.Empty(Analyze("fsession/x", Asm.CallHelper(14), Asm.MovReg(6, 0), Asm.JumpImm(Opcodes.Jne, 6, 0, 1), Asm.Exit(), Asm.MovImm(0, 0), Asm.Exit()));
    }

    [Fact]
    public void Nothing_is_reported_on_a_branch_the_kernel_proves_dead()
    {
        // r1 = 0; if r1 != 0 goto bad; r0 = 0; exit; bad: r2 = r10; r2 &= 7; r0 = 1; exit
        Assert.Empty(Analyze("fsession/x", Asm.MovImm(1, 0), Asm.JumpImm(Opcodes.Jne, 1, 0, 2), Asm.MovImm(0, 0), Asm.Exit(),
            Asm.MovReg(2, 10), Asm.AluImm(Opcodes.And, 2, 7), Asm.MovImm(0, 1), Asm.Exit()));
        // The same branch on a value the kernel does not know is followed.
        Assert.Equal(2, Analyze("fsession/x", Asm.CallHelper(7), Asm.JumpImm(Opcodes.Jne, 0, 0, 2), Asm.MovImm(0, 0), Asm.Exit(),
            Asm.MovReg(2, 10), Asm.AluImm(Opcodes.And, 2, 7), Asm.MovImm(0, 1), Asm.Exit()).Count(d => d.Severity == Severity.Error));
    }

    [Fact]
    public void Where_precision_runs_out_it_is_a_warning_never_an_error()
    {
        // r0 = pid_tgid; if r0 > 5 goto +1; exit -> the kernel's bounds are [0, 5]: cannot tell from here (it rejects, but
        // with bounds this analysis does not track).
        var a = Assert.Single(Analyze("fsession/x", Asm.CallHelper(14), Asm.JumpImm(Opcodes.Jgt, 0, 5, 1), Asm.Exit(), Asm.MovImm(0, 0), Asm.Exit()));
        Assert.Equal((DiagnosticIds.ReturnRange, Severity.Warning), (a.Id, a.Severity));
        Assert.StartsWith("cannot tell", a.Message, StringComparison.Ordinal);

        // One path 0, one path 1: the hull [0, 1] is not decided.
        var b = Assert.Single(Analyze("fsession/x", Asm.CallHelper(14), Asm.MovImm(1, 0), Asm.JumpImm(Opcodes.Jeq, 0, 0, 1), Asm.MovImm(1, 1), Asm.MovReg(0, 1), Asm.Exit()));
        Assert.Equal(Severity.Warning, b.Severity);

        // A loop: the counter's range widens instead of growing, and the fixpoint converges without a limit warning.
        var loop = Analyze("fsession/x", Asm.MovImm(1, 0), Asm.AluImm(Opcodes.Add, 1, 1), Asm.JumpImm(Opcodes.Jlt, 1, 10, -2), Asm.MovImm(0, 0), Asm.Exit());
        Assert.DoesNotContain(loop, d => d.Id == DiagnosticIds.AnalysisLimit);
        Assert.DoesNotContain(loop, d => d.Severity == Severity.Error);
    }

    [Theory]
    [InlineData("kprobe/do_unlinkat")]
    [InlineData("fmod_ret/vfs_read")]
    [InlineData("tp_btf/sched_switch")]
    public void Program_types_without_the_zero_range_are_not_checked(string section) =>
        Assert.Empty(Analyze(section, Asm.MovImm(0, 1), Asm.Exit()));

    [Fact]
    public void A_static_void_subprogram_exit_reads_no_r0()
    {
        // prog: call f; r0 = 0; exit.  f (static): exit without setting r0 (a void function).
        var b = new BpfObjectBuilder();
        var s = b.Section("fsession/x");
        s.Add(Asm.CallRelocated());
        s.Add(Asm.MovImm(0, 0));
        s.Add(Asm.Exit());
        b.Function("fsession/x", "prog", 0, global: true);
        var text = b.Section(".text");
        text.Add(Asm.Exit());
        b.Function(".text", "f", 0, global: false);
        b.Relocate("fsession/x", 0, "f", BpfFixup.Elf.BpfRelocationType.R64_32);
        var diagnostics = ObjectAnalyzer.Analyze(TestHelpers.Load(b.Build(), "void.o")).Diagnostics;
        Assert.DoesNotContain(diagnostics, d => d.Id == DiagnosticIds.UninitRead);
    }
}
