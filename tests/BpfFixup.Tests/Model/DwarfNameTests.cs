// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Text;
using BpfFixup.Diagnostics;
using BpfFixup.Elf;
using BpfFixup.Model;
using BpfFixup.Pipeline;
using BpfFixup.Rewrite;

namespace BpfFixup.Tests.Model;

/// <summary>
/// A section under a DWARF name (<c>.debug_*</c>, <c>.rel.debug_*</c>) that holds code or the relocations of code:
/// libbpf ignores it (libbpf.c ignore_elf_section) and patch drops it with the DWARF. Made by hand while reproducing a
/// lost fuzzer input (TestData/Fuzz/patch-code-relocations-under-dwarf-name.hex): .rel.text renamed .debug_info was
/// accepted and patched, and the patched object, without .text's relocations, failed its own check ("call -1 without
/// a relocation", a recursive call).
/// </summary>
public class DwarfNameTests
{
    private static byte[] Sample() => File.ReadAllBytes(TestPaths.Sample("session_subprog-el.o"));

    /// <summary>Gives section <paramref name="name"/> the name <paramref name="newName"/>, a string already in the name table.</summary>
    private static void Rename(byte[] elf, string name, string newName)
    {
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3c));
        int shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3e));
        int strings = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan((int)shoff + (shstrndx * 64) + 24));
        int size = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan((int)shoff + (shstrndx * 64) + 32));
        var table = elf.AsSpan(strings, size);
        int at = table.IndexOf(Encoding.ASCII.GetBytes(newName + "\0"));
        Assert.True(at >= 0, newName + " is not in the name table");
        for (int i = 0; i < count; i++)
        {
            var header = elf.AsSpan((int)shoff + (i * 64));
            int n = (int)BinaryPrimitives.ReadUInt32LittleEndian(header);
            if (table[n..].StartsWith(Encoding.ASCII.GetBytes(name + "\0")))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)at);
                return;
            }
        }

        Assert.Fail("no section " + name);
    }

    private static Diagnostic LoadError(byte[] bytes)
    {
        var diags = new DiagnosticBag();
        Assert.False(ObjectLoader.TryLoad(bytes, "x.o", diags, out _));
        var d = Assert.Single(diags.Items);
        Assert.Equal(DiagnosticIds.MalformedElf, d.Id);
        Assert.True(FixupPipeline.IsInputDamage(d));
        return d;
    }

    [Theory]
    [InlineData(".debug_info")]
    [InlineData(".rel.debug_info")]
    public void Relocations_of_code_under_a_dwarf_name_are_damage(string newName)
    {
        var bytes = Sample();
        Rename(bytes, ".rel.text", newName);
        var d = LoadError(bytes);
        Assert.StartsWith($"section 3 ({newName}, header at 0x", d.Message, StringComparison.Ordinal);
        Assert.Contains("holds the relocations of section 2 (.text) under a DWARF name, which libbpf ignores", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_under_a_dwarf_name_is_damage()
    {
        var bytes = Sample();
        Rename(bytes, ".text", ".debug_info");
        Assert.Contains("section 2 (.debug_info, header at 0x3328) holds code (SHF_EXECINSTR) under a DWARF name", LoadError(bytes).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_code_relocation_into_a_section_under_a_dwarf_name_is_damage()
    {
        var bytes = Sample();
        Rename(bytes, ".maps", ".debug_info");
        Assert.Equal(
            "relocation #2 of .rel.text (at 0x23b0) refers to 'totals' in section 12 (.debug_info) under a DWARF name, which libbpf ignores (libbpf.c ignore_elf_section)",
            LoadError(bytes).Message);
    }

    [Fact]
    public void A_dwarf_name_on_data_nothing_in_code_refers_to_is_dropped_with_the_dwarf()
    {
        // .BTF under a DWARF name is an object without BTF whose .debug_info is dropped: the output checks as the input does.
        var bytes = Sample();
        Rename(bytes, ".BTF", ".debug_info");
        var diags = new DiagnosticBag();
        Assert.True(ObjectLoader.TryLoad(bytes, "x.o", diags, out var obj), string.Join("\n", diags.Items));
        var outcome = FixupPipeline.SelfCheck(FixupPipeline.Run(obj!, new RewriteOptions()));
        Assert.NotNull(outcome.Rewrite?.Output);
        Assert.False(FixupPipeline.Verify(outcome.Patched!, new RewriteOptions()).HasErrors);
    }
}
