// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Elf;

namespace BpfFixup.Tests.Elf;

public class ElfRoundTripTests
{
    public static TheoryData<string> Samples => TestPaths.SampleNames();

    [Theory]
    [MemberData(nameof(Samples))]
    public void Unchanged_object_writes_back_byte_identical(string name)
    {
        var bytes = File.ReadAllBytes(TestPaths.Sample(name));
        var diags = new DiagnosticBag();
        Assert.True(ElfReader.TryRead(bytes, name, diags, out var elf), string.Join("\n", diags.Items));
        var written = ElfWriter.Write(elf!);
        Assert.Equal(bytes, written);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Growing_a_code_section_relays_out_later_sections_and_keeps_their_bytes(string name)
    {
        var bytes = File.ReadAllBytes(TestPaths.Sample(name));
        var diags = new DiagnosticBag();
        Assert.True(ElfReader.TryRead(bytes, name, diags, out var elf));
        var code = elf!.Sections.First(s => s.IsCode && s.Size > 0);
        var grown = new byte[code.Data.Length + 24];
        code.Data.CopyTo(grown);
        code.SetData(grown);

        var written = ElfWriter.Write(elf);
        Assert.True(ElfReader.TryRead(written, name, diags, out var again), string.Join("\n", diags.Items));
        Assert.Equal(elf.Sections.Count, again!.Sections.Count);
        var original = new DiagnosticBag();
        Assert.True(ElfReader.TryRead(bytes, name, original, out var before));
        for (int i = 0; i < again.Sections.Count; i++)
        {
            var expected = i == code.Index ? grown : before!.Sections[i].Data.ToArray();
            Assert.Equal(expected, again.Sections[i].Data.ToArray());
            Assert.Equal(before!.Sections[i].Name, again.Sections[i].Name);
            if (again.Sections[i].HasFileData && again.Sections[i].Alignment > 1)
            {
                Assert.Equal(0ul, again.Sections[i].Offset % again.Sections[i].Alignment);
            }
        }

        Assert.Equal(before!.Symbols, again.Symbols);
    }

    [Fact]
    public void Removing_sections_renumbers_links_and_symbols()
    {
        var name = "session_basic-el.o";
        var bytes = File.ReadAllBytes(TestPaths.Sample(name));
        var diags = new DiagnosticBag();
        Assert.True(ElfReader.TryRead(bytes, name, diags, out var elf));
        // Drop .llvm_addrsig (no symbol lives in it; it comes after the code) and check the rest reads back.
        var addrsig = elf!.Sections.First(s => s.Type == ElfConstants.ShtLlvmAddrsig);
        var symtabIndexBefore = elf.SymbolTable!.Index;
        elf.RemoveSections(new HashSet<int> { addrsig.Index });
        var written = ElfWriter.Write(elf);
        Assert.True(ElfReader.TryRead(written, name, diags, out var again), string.Join("\n", diags.Items));
        Assert.DoesNotContain(again!.Sections, s => s.Type == ElfConstants.ShtLlvmAddrsig);
        Assert.True(again.SymbolTable!.Index < symtabIndexBefore);
        foreach (var rel in again.RelocationSections)
        {
            Assert.Equal((uint)again.SymbolTable.Index, rel.Link);
        }
    }

    [Fact]
    public void Big_and_little_endian_objects_have_the_same_section_names()
    {
        var diags = new DiagnosticBag();
        Assert.True(ElfReader.TryRead(File.ReadAllBytes(TestPaths.Sample("session_basic-el.o")), "el", diags, out var el));
        Assert.True(ElfReader.TryRead(File.ReadAllBytes(TestPaths.Sample("session_basic-eb.o")), "eb", diags, out var eb));
        Assert.Equal(BpfFixup.Elf.ByteOrder.Little, el!.ByteOrder);
        Assert.Equal(BpfFixup.Elf.ByteOrder.Big, eb!.ByteOrder);
        Assert.Equal(el.Sections.Select(s => s.Name), eb.Sections.Select(s => s.Name));
        Assert.Equal(el.Symbols.Select(s => s.Name), eb.Symbols.Select(s => s.Name));
    }
}
