// SPDX-License-Identifier: MIT
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Rendering;

namespace BpfFixup.Tests.Isa;

public sealed class ExhaustiveRoundTripTests
{
    private static readonly (byte Dst, byte Src, short Off, int Imm)[] Patterns =
    [
        (0, 0, 0, 0), (1, 2, 8, 16), (10, 1, -8, -1), (15, 15, short.MinValue, int.MinValue),
        (11, 12, short.MaxValue, int.MaxValue), (3, 4, 1, 1), (2, 1, 32, 0x10000), (9, 10, -1, 64),
    ];

    [Theory]
    [InlineData(ByteOrder.Little)]
    [InlineData(ByteOrder.Big)]
    public void Every_opcode_and_pattern_round_trips_and_never_throws(ByteOrder order)
    {
        int checkedCount = 0;
        var bytes = new byte[16];
        var again = new byte[16];
        for (int op = 0; op < 256; op++)
        {
            foreach (var (dst, src, off, imm) in Patterns)
            {
                foreach (var hi in new[] { 0, -1, 7 })
                {
                    var insn = Instruction.Create((byte)op, dst, src, off, imm);
                    if (op == Opcodes.LdImm64)
                    {
                        insn = insn with { IsWide = true, NextImm = hi, NextSrc = (byte)(hi & 15) };
                    }

                    int n = InstructionEncoder.Encode(insn, bytes, order);
                    var decoded = InstructionDecoder.Decode(bytes.AsSpan(0, n), 0, order);
                    Assert.Equal(insn, decoded);
                    Assert.Equal(n, InstructionEncoder.Encode(decoded, again, order));
                    Assert.True(bytes.AsSpan(0, n).SequenceEqual(again.AsSpan(0, n)), $"{op:x2} {dst} {src} {off} {imm}");

                    _ = InstructionClassifier.Explain(decoded, out _);
                    Assert.False(string.IsNullOrEmpty(LlvmInstructionFormatter.Format(decoded)));
                    Assert.False(string.IsNullOrEmpty(XlatedInstructionFormatter.Format(decoded)));
                    checkedCount++;
                }
            }
        }

        Assert.Equal(256 * Patterns.Length * 3, checkedCount);
    }

    [Fact]
    public void Lone_ld_imm64_slot_decodes_narrow_and_renders()
    {
        byte[] lone = [0x18, 0x01, 0, 0, 5, 0, 0, 0];
        var insn = InstructionDecoder.Decode(lone, 0, ByteOrder.Little);
        Assert.False(insn.IsWide);
        Assert.Equal(InstructionKind.Invalid, insn.Kind);
        Assert.Equal("<unknown>", LlvmInstructionFormatter.Format(insn));
        Assert.Equal("(18) r1 = 0x5", XlatedInstructionFormatter.Format(insn));
    }
}
