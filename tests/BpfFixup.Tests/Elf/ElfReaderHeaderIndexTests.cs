// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using BpfFixup.Diagnostics;
using BpfFixup.Elf;
using BpfFixup.Model;
using BpfFixup.Rewrite;

namespace BpfFixup.Tests.Elf;

/// <summary>
/// Every index, offset and size in the ELF header and the section header table is checked before use
/// (issue 8: section 0 as the name table gave an ArgumentOutOfRangeException in every command).
/// </summary>
public class ElfReaderHeaderIndexTests
{
    private static byte[] Sample() => File.ReadAllBytes(TestPaths.Sample("session_basic-el.o"));

    private static int HeaderAt(byte[] elf, int index) => (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(40)) + (index * 64);

    private static string ReadError(byte[] bytes)
    {
        var diags = new DiagnosticBag();
        Assert.False(ElfReader.TryRead(bytes, "x.o", diags, out _));
        var d = Assert.Single(diags.Items);
        Assert.Equal(DiagnosticIds.MalformedElf, d.Id);
        return d.Message;
    }

    [Fact]
    public void Section_0_as_the_name_table_is_named()
    {
        var bytes = Sample();
        int h0 = HeaderAt(bytes, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(h0 + 4), ElfConstants.ShtStrtab);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(h0 + 24), 0x7fff_0000); // sh_offset past the end
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(h0 + 32), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(62), 0);
        Assert.Equal("ELF header at 0x3e: e_shstrndx is 0 (SHN_UNDEF): the object has no section name table", ReadError(bytes));
    }

    [Fact]
    public void Name_table_past_the_end_is_named()
    {
        var bytes = Sample();
        int shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(62));
        int h = HeaderAt(bytes, shstrndx);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(h + 24), 0x7fff_0000);
        Assert.Equal($"section header {shstrndx} at 0x{h:x}: sh_offset 0x7fff0000 + sh_size 0x{BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(h + 32)):x} runs past the end of the file ({bytes.Length} bytes)", ReadError(bytes));
    }

    [Fact]
    public void Extended_name_table_index_is_named()
    {
        var bytes = Sample();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(62), ElfConstants.ShnXIndex);
        Assert.Equal("ELF header at 0x3e: e_shstrndx is SHN_XINDEX (the index in section 0's sh_link is not supported)", ReadError(bytes));
    }

    [Fact]
    public void Extended_section_count_is_named()
    {
        var bytes = Sample();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(60), 0);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(HeaderAt(bytes, 0) + 32), 0x10000);
        Assert.Equal("ELF header at 0x3c: e_shnum is 0 (the extended section count in section 0's sh_size is not supported)", ReadError(bytes));
    }

    [Fact]
    public void Section_count_in_the_reserved_range_is_named()
    {
        var bytes = Sample();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(60), 0xff00);
        Assert.Equal("ELF header at 0x3c: e_shnum 65280 is not below SHN_LORESERVE (0xff00)", ReadError(bytes));
    }

    [Fact]
    public void Relocations_applying_to_a_relocation_section_are_named()
    {
        // Found by mutation: the patch shrinks a code section's .rel section, so relocations into it break.
        var bytes = Sample();
        var diags = new DiagnosticBag();
        Assert.True(ElfReader.TryRead(bytes, "x.o", diags, out var elf));
        var rels = elf!.RelocationSections.ToList();
        int h = HeaderAt(bytes, rels[1].Index);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(h + 44), (uint)rels[0].Index);
        Assert.Equal($"section {rels[1].Index} ({rels[1].Name}) at 0x{h:x}: sh_info {rels[0].Index} names section {rels[0].Index} ({rels[0].Name}), which is not one relocations can apply to", ReadError(bytes));
    }

    [Fact]
    public void Section_header_entry_size_is_checked()
    {
        var bytes = Sample();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(58), 40);
        Assert.Equal("ELF header at 0x3a: e_shentsize 40 is not 64", ReadError(bytes));
    }

    [Fact]
    public void Symbol_section_index_in_the_extended_range_is_named()
    {
        var bytes = Sample();
        var diags = new DiagnosticBag();
        Assert.True(ElfReader.TryRead(bytes, "x.o", diags, out var elf));
        var symtab = elf!.SymbolTable!;
        int i = elf.Symbols.ToList().FindIndex(s => s.NameOffset != 0);
        string name = elf.Symbols[i].Name;
        int at = (int)symtab.Offset + (i * 24);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 6), ElfConstants.ShnXIndex);
        Assert.Equal($"symbol {i} ({name}) at 0x{at:x}: SHN_XINDEX (extended section indices) is not supported", ReadError(bytes));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 6), (ushort)(elf.Sections.Count + 3));
        Assert.Equal($"symbol {i} ({name}) at 0x{at:x}: st_shndx {elf.Sections.Count + 3} is out of range ({elf.Sections.Count} sections)", ReadError(bytes));
    }

    /// <summary>
    /// Each byte of the ELF header and of the section header table set to 0x00, 0x7f and 0xff in turn: the
    /// loader and the whole fixup either succeed or report one diagnostic, and never throw.
    /// </summary>
    [Fact]
    public void No_header_byte_makes_the_loader_or_the_fixup_throw()
    {
        var original = Sample();
        int shoff = HeaderAt(original, 0);
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(original.AsSpan(60));
        var positions = Enumerable.Range(0, 64).Concat(Enumerable.Range(shoff, shnum * 64));
        foreach (int at in positions)
        {
            foreach (byte value in new byte[] { 0x00, 0x7f, 0xff })
            {
                if (original[at] == value)
                {
                    continue;
                }

                var bytes = (byte[])original.Clone();
                bytes[at] = value;
                var diags = new DiagnosticBag();
                try
                {
                    if (ObjectLoader.TryLoad(bytes, "x.o", diags, out var obj) && obj is not null)
                    {
                        FixupPipeline.Run(obj, new RewriteOptions());
                    }
                    else
                    {
                        Assert.Single(diags.Items, d => d.Severity == Severity.Error);
                    }
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    Assert.Fail($"byte 0x{at:x} := 0x{value:x2}: {e.GetType().Name}: {e.Message}");
                }
            }
        }
    }
}
