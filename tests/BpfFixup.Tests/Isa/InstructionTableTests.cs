// SPDX-License-Identifier: MIT
using BpfFixup.Elf;
using BpfFixup.Isa;

namespace BpfFixup.Tests.Isa;

public sealed class InstructionTableTests
{
    [Fact]
    public void Table_is_large_and_covers_every_opcode_byte()
    {
        var seen = new bool[256];
        foreach (var row in InstructionTable.All)
        {
            seen[row.Bytes[0]] = true;
        }

        Assert.True(InstructionTable.All.Count > 1500, $"only {InstructionTable.All.Count} rows");
        Assert.All(Enumerable.Range(0, 256), op => Assert.True(seen[op], $"opcode {op:x2} missing"));
    }

    [Theory]
    [MemberData(nameof(InstructionTable.Indices), MemberType = typeof(InstructionTable))]
    public void Decode_then_encode_gives_the_same_bytes(int index)
    {
        var row = InstructionTable.All[index];
        var insn = row.Decode();
        Assert.Equal(row.Bytes.Length / 8, insn.Width);
        var again = new byte[row.Bytes.Length];
        Assert.Equal(row.Bytes.Length, InstructionEncoder.Encode(insn, again, ByteOrder.Little));
        Assert.Equal(row.Bytes, again);
    }

    [Theory]
    [MemberData(nameof(InstructionTable.Indices), MemberType = typeof(InstructionTable))]
    public void Big_endian_reencoding_decodes_to_the_same_instruction(int index)
    {
        var row = InstructionTable.All[index];
        var insn = row.Decode();
        var be = new byte[row.Bytes.Length];
        InstructionEncoder.Encode(insn, be, ByteOrder.Big);
        Assert.Equal(insn, InstructionDecoder.Decode(be, 0, ByteOrder.Big));
        // The register nibbles swap and off/imm reverse (include/uapi/linux/bpf.h's bitfields, BPFMCCodeEmitter.cpp), so BE bytes differ from LE bytes
        // unless both nibbles match and off/imm are byte palindromes.
        Assert.Equal(insn.Opcode, be[0]);
        Assert.Equal((byte)((insn.Dst << 4) | insn.Src), be[1]);
    }

    [Fact]
    public void Valid_sections_are_substantial()
    {
        Assert.True(InstructionTable.All.Count(r => r.InValidSection) > 150);
    }

    [Theory]
    [MemberData(nameof(InstructionTable.Indices), MemberType = typeof(InstructionTable))]
    public void Classification_agrees_with_the_table(int index)
    {
        var row = InstructionTable.All[index];
        var insn = row.Decode();
        var kind = InstructionClassifier.Explain(insn, out string? reason);
        if (row.InValidSection)
        {
            Assert.True(kind != InstructionKind.Invalid, $"{row}: {row.Xlated} classified invalid: {reason}");
        }
        else if (row.BothReject)
        {
            // Neither LLVM nor the kernel disassembler knows the encoding.
            Assert.Equal(InstructionKind.Invalid, kind);
            Assert.False(string.IsNullOrEmpty(reason));
        }
    }
}
