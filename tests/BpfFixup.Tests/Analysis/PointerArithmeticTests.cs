// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Isa;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Analysis;

/// <summary>adjust_reg_min_max_vals / adjust_ptr_min_max_vals in the kernel's words, for a privileged loader.</summary>
public class PointerArithmeticTests
{
    private static List<Diagnostic> Run(params Instruction[] body) =>
        ReturnCodeTests.Analyze("fsession/vfs_read", [.. body, Asm.MovImm(0, 0), Asm.Exit()]);

    public static TheoryData<string, Instruction[]> Rejected() => new()
    {
        { "R1 bitwise operator &= on pointer prohibited", [Asm.AluImm(Opcodes.And, 1, -8)] },
        { "R1 bitwise operator |= on pointer prohibited", [Asm.AluImm(Opcodes.Or, 1, 1)] },
        { "R1 bitwise operator ^= on pointer prohibited", [Asm.AluImm(Opcodes.Xor, 1, 1)] },
        { "R1 pointer arithmetic with *= operator prohibited", [Asm.AluImm(Opcodes.Mul, 1, 2)] },
        { "R1 pointer arithmetic with <<= operator prohibited", [Asm.AluImm(Opcodes.Lsh, 1, 2)] },
        { "R1 pointer arithmetic with /= operator prohibited", [Asm.AluImm(Opcodes.Div, 1, 2)] },
        { "R1 32-bit pointer arithmetic prohibited", [Asm.AluImm(Opcodes.Add, 1, 8, is64: false)] },
        { "R1 pointer += pointer prohibited", [Asm.MovReg(2, 10), Asm.AluReg(Opcodes.Add, 1, 2)] },
        { "R2 tried to subtract pointer from scalar", [Asm.MovImm(2, 8), Asm.AluReg(Opcodes.Sub, 2, 1)] },
        { "R2 subtraction from stack pointer prohibited", [Asm.MovReg(2, 10), Asm.AluImm(Opcodes.Sub, 2, 8)] },
        { "R0 pointer arithmetic on map_value_or_null prohibited, null-check it first", [Asm.CallHelper(1), Asm.AluImm(Opcodes.Add, 0, 8)] },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Rejected_with_the_kernels_words(string message, Instruction[] body)
    {
        var e = Assert.Single(Run(body), d => d.Severity == Severity.Error);
        Assert.Equal((DiagnosticIds.PointerArithmetic, message), (e.Id, e.Message));
    }

    public static TheoryData<Instruction[]> Allowed() => new()
    {
        { [Asm.AluImm(Opcodes.Add, 1, 8), Asm.AluImm(Opcodes.Sub, 1, 8)] }, // ctx + 8 - 8
        { [Asm.MovReg(2, 10), Asm.AluImm(Opcodes.Add, 2, -8)] }, // fp - 8 by addition
        { [Asm.MovReg(2, 10), Asm.AluReg(Opcodes.Sub, 2, 1)] }, // pointer - pointer: a scalar with allow_ptr_leaks
        { [Asm.MovReg(2, 1), Asm.AluImm(Opcodes.Sub, 2, 0, is64: false)] }, // 32-bit subtraction: an unknown scalar
        { [Instruction.Create(Opcodes.ClassAlu64 | Opcodes.Neg, 1, 0, 0, 0)] }, // neg: an unknown scalar
        { [Asm.MovImm(2, 8), Asm.AluReg(Opcodes.Add, 2, 1)] }, // scalar += pointer
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Allowed_by_the_kernel(Instruction[] body) => Assert.DoesNotContain(Run(body), d => d.Severity == Severity.Error);

    [Fact]
    public void A_register_that_is_a_pointer_on_one_path_only_is_a_warning()
    {
        // r0 = random; r2 = 8; if r0 == 0 goto +1; r2 = r10: r2 is 8 or fp, and r2 &= 7 is refused on one path only.
        var diagnostics = Run(Asm.CallHelper(7), Asm.MovImm(2, 8), Asm.JumpImm(Opcodes.Jeq, 0, 0, 1), Asm.MovReg(2, 10), Asm.AluImm(Opcodes.And, 2, 7));
        var w = Assert.Single(diagnostics, d => d.Id == DiagnosticIds.PointerArithmetic);
        Assert.Equal(Severity.Warning, w.Severity);
        Assert.StartsWith("cannot tell", w.Message, StringComparison.Ordinal);
    }
}
