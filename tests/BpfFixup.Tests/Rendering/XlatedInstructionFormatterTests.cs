// SPDX-License-Identifier: MIT
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Rendering;
using BpfFixup.Tests.Isa;

namespace BpfFixup.Tests.Rendering;

public sealed class XlatedInstructionFormatterTests
{
    [Theory]
    [MemberData(nameof(InstructionTable.Indices), MemberType = typeof(InstructionTable))]
    public void Matches_kernel_disasm(int index)
    {
        var row = InstructionTable.All[index];
        Assert.Equal(row.Xlated, XlatedInstructionFormatter.Format(row.Decode()));
    }

    [Theory]
    [InlineData("79 10 f8 ff 00 00 00 00", "(79) r0 = *(u64 *)(r1 -8)")]
    [InlineData("85 00 00 00 05 00 00 00", "(85) call bpf_ktime_get_ns#5")]
    [InlineData("15 01 0f 00 00 00 00 00", "(15) if r1 == 0x0 goto pc+15")]
    [InlineData("b7 01 00 00 2a 00 00 00", "(b7) r1 = 42")]
    [InlineData("16 02 0d 00 fc ff ff ff", "(16) if w2 == 0xfffffffc goto pc+13")]
    [InlineData("85 10 00 00 05 00 00 00", "(85) call pc+5")]
    [InlineData("85 20 00 00 e7 4b 01 00", "(85) call kernel-function#84967")]
    [InlineData("85 00 00 00 a0 86 01 00", "(85) call unknown#100000")]
    [InlineData("85 00 00 00 00 00 00 00", "(85) call bpf_unspec#0")]
    [InlineData("db 21 00 00 00 01 00 00", "(db) r1 = load_acquire((u64 *)(r2 +0))")]
    [InlineData("db 21 00 00 10 01 00 00", "(db) store_release((u64 *)(r1 +0), r2)")]
    [InlineData("0d 01 00 00 00 00 00 00", "(0d) gotox r1")]
    [InlineData("bf 21 ff ff 00 00 00 00", "(bf) r1 = &(void __percpu *)(r2)")]
    public void Known_forms(string hex, string expected)
    {
        byte[] bytes = Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));
        var insn = InstructionDecoder.Decode(bytes, 0, ByteOrder.Little);
        Assert.Equal(expected, XlatedInstructionFormatter.Format(insn));
    }

    [Fact]
    public void Resolver_names_kfuncs_subprogs_helpers_and_ld_imm64()
    {
        var resolver = new FakeResolver();
        // An extern kfunc call as clang emits it (src 1, imm -1), identified by its relocation.
        Assert.Equal("(85) call bpf_session_cookie#-1", XlatedInstructionFormatter.Format(Instruction.Create(0x85, 0, 1, 0, -1), resolver));
        Assert.Equal("(85) call bpf_session_cookie#77", XlatedInstructionFormatter.Format(Instruction.Create(0x85, 0, 2, 0, 77), resolver));
        Assert.Equal("(85) call pc+3#sub", XlatedInstructionFormatter.Format(Instruction.Create(0x85, 0, 1, 0, 3), resolver));
        Assert.Equal("(85) call my_helper#5000", XlatedInstructionFormatter.Format(Instruction.Create(0x85, 0, 0, 0, 5000), resolver));
        // The built-in helper table wins over the callback (disasm.c __func_get_name).
        Assert.Equal("(85) call bpf_ktime_get_ns#5", XlatedInstructionFormatter.Format(Instruction.Create(0x85, 0, 0, 0, 5), resolver));
        Assert.Equal("(18) r1 = subprog[+5]", XlatedInstructionFormatter.Format(Instruction.LoadImm64(1, PseudoSource.Func, 5), resolver));
        Assert.Equal("(18) r1 = 0x5", XlatedInstructionFormatter.Format(Instruction.LoadImm64(1, 0, 5), resolver));
    }

    private sealed class FakeResolver : IXlatedSymbolResolver
    {
        public string? HelperName(int helperId) => helperId == 5000 ? "my_helper" : null;

        public string? KfuncName(in Instruction insn) => insn.Imm is -1 or 77 ? "bpf_session_cookie" : null;

        public string? PseudoCallTarget(in Instruction insn) => insn.Imm == 3 ? "+3#sub" : null;

        public string? Imm64Text(in Instruction insn) => insn.Src == PseudoSource.Func ? $"subprog[{insn.Imm:+0;-0}]" : null;
    }
}
