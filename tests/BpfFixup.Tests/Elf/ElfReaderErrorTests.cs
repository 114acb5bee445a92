// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Elf;

namespace BpfFixup.Tests.Elf;

public class ElfReaderErrorTests
{
    private static string ReadError(byte[] bytes)
    {
        var diags = new DiagnosticBag();
        Assert.False(ElfReader.TryRead(bytes, "x.o", diags, out var elf));
        Assert.Null(elf);
        var d = Assert.Single(diags.Items);
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal("x.o", d.File);
        return d.Message;
    }

    [Fact]
    public void Not_elf_is_named()
    {
        Assert.Contains("not an ELF file", ReadError("hello world, not an object"u8.ToArray()));
    }

    [Fact]
    public void Truncated_header_is_named()
    {
        var bytes = File.ReadAllBytes(TestPaths.Sample("session_basic-el.o"))[..40];
        Assert.Equal("ELF header at 0x0: truncated: file is 40 bytes, the header needs 64", ReadError(bytes));
    }

    [Fact]
    public void Wrong_machine_is_not_a_bpf_object()
    {
        var bytes = File.ReadAllBytes(TestPaths.Sample("session_basic-el.o"));
        bytes[18] = 62; // EM_X86_64
        Assert.Equal("ELF header at 0x12: e_machine 62 is not EM_BPF (247): not a BPF object", ReadError(bytes));
    }

    [Fact]
    public void Section_past_the_end_names_the_section_header()
    {
        var bytes = File.ReadAllBytes(TestPaths.Sample("session_basic-el.o"));
        var diags = new DiagnosticBag();
        Assert.True(ElfReader.TryRead(bytes, "x.o", diags, out var elf));
        int text = elf!.FindSection(".text")!.Index;
        long shoff = (long)elf.Header.SectionHeaderOffset;
        // sh_size of section `text` := huge.
        BitConverter.TryWriteBytes(bytes.AsSpan((int)shoff + (text * 64) + 32), 0x7fff_ffff_0000UL);
        var message = ReadError(bytes);
        Assert.StartsWith($"section header {text} at 0x{shoff + (text * 64):x}: sh_offset", message);
        Assert.Contains("runs past the end of the file", message);
    }

    [Fact]
    public void Relocation_with_bad_symbol_index_is_named()
    {
        var bytes = File.ReadAllBytes(TestPaths.Sample("session_basic-el.o"));
        var diags = new DiagnosticBag();
        Assert.True(ElfReader.TryRead(bytes, "x.o", diags, out var elf));
        var rel = elf!.RelocationSections.First(r => r.Size > 0);
        int at = (int)rel.Offset + 8 + 4; // r_info high half: symbol index
        BitConverter.TryWriteBytes(bytes.AsSpan(at), 0x00ffffffu);
        var message = ReadError(bytes);
        Assert.StartsWith($"relocation 0 of {rel.Name} at 0x{rel.Offset:x}: symbol index 16777215 is out of range", message);
    }
}
