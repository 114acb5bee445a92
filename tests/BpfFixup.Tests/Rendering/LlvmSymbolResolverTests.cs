// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Rendering;

namespace BpfFixup.Tests.Rendering;

/// <summary><see cref="LlvmInstructionFormatter"/> with an <see cref="ILlvmSymbolResolver"/>: where each style puts the symbol.</summary>
public sealed class LlvmSymbolResolverTests
{
    [Theory]
    [InlineData("15 00 08 00 00 00 00 00", "if r0 == 0x0 goto +0x8 <LBB0_2+0x10>", "if r0 == 0x0 goto LBB0_2+0x10")]
    [InlineData("05 00 fd ff 00 00 00 00", "goto -0x3 <LBB0_2+0x10>", "goto LBB0_2+0x10")]
    [InlineData("06 00 00 00 01 00 00 00", "gotol +0x1 <LBB0_2+0x10>", "gotol LBB0_2+0x10")]
    [InlineData("e5 00 02 00 00 00 00 00", "may_goto +0x2 <LBB0_2+0x10>", "may_goto LBB0_2+0x10")]
    [InlineData("85 10 00 00 ff ff ff ff", "call -0x1 <callee>", "call callee")]
    [InlineData("18 01 00 00 10 00 00 00 00 00 00 00 00 00 00 00", "r1 = 0x10 ll <map-0x4>", "r1 = map-0x4 ll")]
    // A named value takes the LD_imm64 form whatever src_reg (here BPF_PSEUDO_MAP_FD) holds.
    [InlineData("18 11 00 00 10 00 00 00 00 00 00 00 00 00 00 00", "r1 = 0x10 ll <map-0x4>", "r1 = map-0x4 ll")]
    [InlineData("07 02 00 00 ec ff ff ff", "r2 += -0x14", "r2 += -0x14")]
    public void Names_operands_in_either_style(string hex, string annotated, string replaced)
    {
        var insn = Decode(hex);
        var names = new Names(new SymbolResult("LBB0_2", 0x10), new SymbolResult("callee"), new SymbolResult("map", -4));
        Assert.Equal(annotated, Format(insn, names, LlvmSymbolStyle.Annotate));
        Assert.Equal(replaced, Format(insn, names, LlvmSymbolStyle.Replace));
    }

    [Theory]
    [InlineData("15 00 08 00 00 00 00 00")]
    [InlineData("85 10 00 00 ff ff ff ff")]
    [InlineData("18 11 00 00 10 00 00 00 00 00 00 00 00 00 00 00")]
    public void A_resolver_that_names_nothing_keeps_the_formatters_text(string hex)
    {
        var insn = Decode(hex);
        var none = new Names(null, null, null);
        Assert.Equal(LlvmInstructionFormatter.Format(insn), Format(insn, none, LlvmSymbolStyle.Annotate));
        Assert.Equal(LlvmInstructionFormatter.Format(insn), Format(insn, none, LlvmSymbolStyle.Replace));
    }

    [Fact]
    public void An_undecodable_instruction_stays_unknown_and_asks_nothing()
    {
        // if r12 == 0 goto +8: LLVM knows r0-r11 only.
        var insn = Instruction.Create(0x15, 12, 0, 8, 0);
        var names = new Names(new SymbolResult("L"), null, null);
        Assert.Equal(LlvmInstructionFormatter.Unknown, Format(insn, names, LlvmSymbolStyle.Annotate));
        Assert.Equal(0, names.Asked);
    }

    private static Instruction Decode(string hex) =>
        InstructionDecoder.Decode(Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal)), 0, ByteOrder.Little);

    private static string Format(in Instruction insn, ILlvmSymbolResolver resolver, LlvmSymbolStyle style)
    {
        var sb = new StringBuilder();
        LlvmInstructionFormatter.Format(insn, sb, resolver, style);
        return sb.ToString();
    }

    private sealed class Names(SymbolResult? branch, SymbolResult? call, SymbolResult? imm64) : ILlvmSymbolResolver
    {
        public int Asked { get; private set; }

        public bool TryGetBranchSymbol(in Instruction insn, out SymbolResult symbol) => Answer(branch, out symbol);

        public bool TryGetCallSymbol(in Instruction insn, out SymbolResult symbol) => Answer(call, out symbol);

        public bool TryGetImm64Symbol(in Instruction insn, out SymbolResult symbol) => Answer(imm64, out symbol);

        private bool Answer(SymbolResult? given, out SymbolResult symbol)
        {
            Asked++;
            symbol = given.GetValueOrDefault();
            return given is not null;
        }
    }
}
