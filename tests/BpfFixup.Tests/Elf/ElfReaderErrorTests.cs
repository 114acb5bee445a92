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

    [Theory]
    [InlineData("session_basic-el.o")]
    [InlineData("session_basic-eb.o")]
    public void An_ei_version_other_than_ev_current_is_named(string sample)
    {
        var bytes = File.ReadAllBytes(TestPaths.Sample(sample));
        bytes[6] = 0; // EV_NONE: libelf takes nothing but EV_CURRENT for an ELF file
        Assert.Equal("ELF header at 0x6: EI_VERSION 0 is not EV_CURRENT (1)", ReadError(bytes));
    }

    [Theory]
    [InlineData("session_basic-el.o")]
    [InlineData("session_basic-eb.o")]
    public void The_header_check_of_the_first_bytes_says_what_reading_the_whole_file_says(string sample)
    {
        var whole = File.ReadAllBytes(TestPaths.Sample(sample));
        Assert.True(ElfReader.TryCheckHeader(whole.AsSpan(0, ElfReader.HeaderCheckSize), whole.Length, "x.o", new DiagnosticBag()));

        // Each header byte damaged in turn: from 64 bytes and the length alone, the same one error as from the file.
        for (int at = 0; at < ElfReader.HeaderCheckSize; at++)
        {
            var bytes = (byte[])whole.Clone();
            bytes[at] ^= 0xff;
            var fromHead = new DiagnosticBag();
            bool headOk = ElfReader.TryCheckHeader(bytes.AsSpan(0, ElfReader.HeaderCheckSize), bytes.Length, "x.o", fromHead);
            var fromFile = new DiagnosticBag();
            bool fileOk = ElfReader.TryRead(bytes, "x.o", fromFile, out _);
            if (!headOk)
            {
                Assert.False(fileOk);
                Assert.Equal(Assert.Single(fromFile.Items).Message, Assert.Single(fromHead.Items).Message);
                Assert.Equal(fromFile.Items[0].FileOffset, fromHead.Items[0].FileOffset);
            }
            else
            {
                Assert.Empty(fromHead.Items);
            }
        }

        var shortHead = new DiagnosticBag();
        Assert.False(ElfReader.TryCheckHeader(whole.AsSpan(0, 40), 40, "x.o", shortHead));
        Assert.Equal("ELF header at 0x0: truncated: file is 40 bytes, the header needs 64", Assert.Single(shortHead.Items).Message);
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
