// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Rendering;
using BpfFixup.Tests.Isa;

namespace BpfFixup.Tests.Rendering;

public sealed class LlvmInstructionFormatterTests
{
    [Theory]
    [MemberData(nameof(InstructionTable.Indices), MemberType = typeof(InstructionTable))]
    public void Matches_llvm_objdump_19(int index)
    {
        var row = InstructionTable.All[index];
        Assert.Equal(row.Llvm, LlvmInstructionFormatter.Format(row.Decode()));
    }

    [Theory]
    [InlineData("79 16 10 00 00 00 00 00", "r6 = *(u64 *)(r1 + 0x10)")]
    [InlineData("79 10 f8 ff 00 00 00 00", "r0 = *(u64 *)(r1 - 0x8)")]
    [InlineData("15 00 08 00 00 00 00 00", "if r0 == 0x0 goto +0x8")]
    [InlineData("85 10 00 00 ff ff ff ff", "call -0x1")]
    [InlineData("18 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00", "r1 = 0x0 ll")]
    [InlineData("bc 20 08 00 00 00 00 00", "w0 = (s8)w2")]
    [InlineData("db 12 00 00 01 00 00 00", "r1 = atomic_fetch_add((u64 *)(r2 + 0x0), r1)")]
    [InlineData("c3 21 01 00 00 00 00 00", "lock *(u32 *)(r1 + 0x1) += r2")]
    [InlineData("06 00 00 00 01 00 00 00", "gotol +0x1")]
    [InlineData("e5 00 02 00 00 00 00 00", "may_goto +0x2")]
    [InlineData("bf 21 01 00 01 00 00 00", "r1 = addr_space_cast(r2, 0x0, 0x1)")]
    [InlineData("d7 01 00 00 40 00 00 00", "r1 = bswap64 r1")]
    [InlineData("dc 01 00 00 10 00 00 00", "r1 = be16 r1")]
    [InlineData("30 00 00 00 0c 00 00 00", "r0 = *(u8 *)skb[0xc]")]
    [InlineData("07 02 00 00 ec ff ff ff", "r2 += -0x14")]
    [InlineData("95 00 00 00 00 00 00 00", "exit")]
    public void Known_forms(string hex, string expected)
    {
        byte[] bytes = Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));
        var insn = InstructionDecoder.Decode(bytes, 0, ByteOrder.Little);
        Assert.Equal(expected, LlvmInstructionFormatter.Format(insn));
    }

    [Fact]
    public void Appends_to_the_builder_and_rolls_back_a_partial_rendering()
    {
        var sb = new StringBuilder("x: ");
        // ALU64 K "r1 += 1" with off 8 is not defined: the rendering starts, then must be replaced by <unknown>.
        LlvmInstructionFormatter.Format(Instruction.Create(0x07, 1, 0, 8, 1), sb);
        Assert.Equal("x: <unknown>", sb.ToString());
    }
}
