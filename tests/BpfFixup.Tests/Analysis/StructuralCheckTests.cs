// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Analysis;

/// <summary>The kernel's structural checks (check_subprogs, check_cfg, check_reg_arg) on hand-built programs.</summary>
public class StructuralCheckTests
{
    private static AnalysisResult Analyze(params Instruction[] body)
    {
        var b = new BpfObjectBuilder(ByteOrder.Little);
        var p = b.Section("fsession/vfs_read");
        foreach (var i in body)
        {
            p.Add(i);
        }

        b.Function("fsession/vfs_read", "prog", 0, global: true);
        return ObjectAnalyzer.Analyze(TestHelpers.Load(b.Build(), "t.o"));
    }

    private static string Messages(AnalysisResult r, Severity severity) =>
        string.Join("|", r.Diagnostics.Where(d => d.Severity == severity).Select(d => $"{d.Index}:{d.Message}"));

    [Fact]
    public void Write_to_the_frame_pointer_is_an_error()
    {
        var r = Analyze(Asm.MovImm(10, 0), Asm.MovImm(0, 0), Asm.Exit());
        Assert.Equal("0:frame pointer is read only", Messages(r, Severity.Error));
    }

    [Fact]
    public void Fetching_atomic_into_r10_is_an_error()
    {
        // r10 = atomic_fetch_add((u64 *)(r1 + 0), r10): the fetch writes the source register.
        var fetch = Instruction.Create(Opcodes.ClassStx | Opcodes.ModeAtomic | Opcodes.SizeDw, 1, 10, 0, Opcodes.Add | Opcodes.AtomicFetch);
        var r = Analyze(fetch, Asm.MovImm(0, 0), Asm.Exit());
        Assert.Equal("0:frame pointer is read only", Messages(r, Severity.Error));
    }

    [Fact]
    public void Falling_off_the_end_is_an_error()
    {
        var r = Analyze(Asm.MovImm(0, 0), Asm.MovImm(1, 0));
        Assert.Equal("1:last insn is not an exit or jmp", Messages(r, Severity.Error));
    }

    [Fact]
    public void Jump_out_of_the_function_is_an_error()
    {
        var r = Analyze(Asm.Goto(5), Asm.MovImm(0, 0), Asm.Exit());
        Assert.Contains("0:jump out of range from insn 0 to 6", Messages(r, Severity.Error), StringComparison.Ordinal);
    }

    [Fact]
    public void Jump_into_the_middle_of_ld_imm64_is_an_error()
    {
        var r = Analyze(Asm.Goto(1), Instruction.LoadImm64(1, 0, 0x1_0000_0000), Asm.MovImm(0, 0), Asm.Exit());
        Assert.Contains("0:jump into the middle of ldimm64 insn 1", Messages(r, Severity.Error), StringComparison.Ordinal);
    }

    [Fact]
    public void Unreachable_code_is_a_warning_and_a_loop_a_note()
    {
        var r = Analyze(Asm.MovImm(0, 0), Asm.Exit(), Asm.MovImm(0, 1), Asm.Exit());
        Assert.Equal("2:unreachable insn 2", Messages(r, Severity.Warning));
        Assert.False(r.HasErrors);

        var loop = Analyze(Asm.MovImm(0, 0), Asm.JumpImm(Opcodes.Jne, 0, 0, -1), Asm.Exit());
        Assert.Equal("1:back-edge from insn 1 to 1", Messages(loop, Severity.Note));
    }
}
