// SPDX-License-Identifier: MIT
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Model;

namespace BpfFixup.Tests.Model;

/// <summary>
/// A code section keeps no decoded instructions: it decodes from the section's bytes when asked, and maps slots and
/// instructions with rank bitmaps. Both must give what a decode of the whole section gives.
/// </summary>
public class SectionInstructionsTests
{
    public static TheoryData<int, int> RandomCases()
    {
        var data = new TheoryData<int, int>();
        foreach (int length in new[] { 0, 7, 8, 16, 17, 24, 8 * 63, 8 * 64, 8 * 65, (8 * 129) + 3, 8 * 1000 })
        {
            foreach (int seed in new[] { 1, 2 })
            {
                data.Add(length, seed);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RandomCases))]
    public void Random_bytes_decode_as_the_whole_section_decoder_does(int length, int seed)
    {
        var random = new Random((length * 31) + seed);
        var bytes = new byte[length];
        random.NextBytes(bytes);
        for (int slot = 0; slot * 8 < length; slot++)
        {
            if (random.Next(3) == 0)
            {
                bytes[slot * 8] = Opcodes.LdImm64; // many ld_imm64, some in the last slot (incomplete) or back to back
            }
        }

        foreach (var order in new[] { ByteOrder.Little, ByteOrder.Big })
        {
            AssertSame(Section(bytes), bytes, order);
        }
    }

    [Theory]
    [MemberData(nameof(TestPaths.SampleNames), MemberType = typeof(TestPaths))]
    public void Samples_decode_as_the_whole_section_decoder_does(string name)
    {
        var obj = TestHelpers.LoadSample(name);
        foreach (var code in obj.CodeSections)
        {
            AssertSame(code.Elf, code.Elf.Data.ToArray(), obj.ByteOrder, code);
        }
    }

    [Fact]
    public void Out_of_range_questions_are_refused_or_answered_minus_one()
    {
        var bytes = InstructionEncoder.EncodeAll([Instruction.LoadImm64(1, 0, 5), Instruction.Create(Opcodes.Exit, 0, 0, 0, 0)], ByteOrder.Little);
        var code = new CodeSection(Section(bytes), ByteOrder.Little);
        Assert.Equal([0, -1, 1, 2, -1], Enumerable.Range(0, 5).Select(s => code.InsnAtSlot(s)));
        Assert.Equal(-1, code.Slots.InsnAt(-1));
        Assert.Equal(-1, code.Slots.InsnAt(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => code.Slots[2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => code.Slots[-1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => code.Instructions[2]);
        Assert.True(code.Slots.IsWide(0));
        Assert.False(code.Slots.IsWide(1));
        Assert.Equal(1, code.Slots.WideCount);
    }

    private static ElfSection Section(byte[] bytes) => new(bytes)
    {
        Name = "xdp",
        Type = ElfConstants.ShtProgbits,
        Flags = ElfConstants.ShfAlloc | ElfConstants.ShfExecInstr,
        Size = (ulong)bytes.Length,
    };

    private static void AssertSame(ElfSection elf, byte[] bytes, ByteOrder order, CodeSection? loaded = null)
    {
        var expected = InstructionDecoder.DecodeAll(bytes, order);
        var code = loaded ?? new CodeSection(elf, order);
        Assert.Equal(expected.Instructions.Length, code.Instructions.Length);
        Assert.Equal(expected.Instructions.Length, code.Instructions.Count);
        Assert.Equal(expected.SlotCount, code.SlotCount);
        Assert.Equal(expected.Instructions, Enumerable.Range(0, code.Instructions.Length).Select(i => code.Instructions[i]));
        Assert.Equal(expected.Instructions, code.Instructions);          // the enumerator
        Assert.Equal(expected.Instructions, code.Instructions.ToArray());
        Assert.Equal(expected.Kinds, code.Kinds);
        Assert.Equal(expected.Errors, code.DecodeErrors);
        Assert.Equal(expected.Slots, Enumerable.Range(0, code.Instructions.Length).Select(i => code.Slots[i]));
        Assert.Equal(expected.Instructions.Select(i => i.IsWide), Enumerable.Range(0, code.Instructions.Length).Select(code.Slots.IsWide));

        // Every slot, and those just outside: the instruction starting there, or -1 (InsnAtSlot maps the end to the count).
        var starts = new Dictionary<int, int>();
        for (int i = 0; i < expected.Slots.Length; i++)
        {
            starts[expected.Slots[i]] = i;
        }

        for (int slot = -2; slot <= expected.SlotCount + 2; slot++)
        {
            int want = slot == expected.SlotCount ? expected.Instructions.Length : starts.GetValueOrDefault(slot, -1);
            Assert.Equal(want, code.InsnAtSlot(slot));
        }
    }
}
