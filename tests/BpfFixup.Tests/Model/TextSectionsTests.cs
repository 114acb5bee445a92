// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using BpfFixup.Diagnostics;
using BpfFixup.Fuzz;
using BpfFixup.Model;

namespace BpfFixup.Tests.Model;

/// <summary>A second code section named .text is refused when read, as libbpf fails to load such an object (TextSections).</summary>
public class TextSectionsTests
{
    private static Diagnostic LoadError(byte[] bytes)
    {
        var bag = new DiagnosticBag();
        Assert.False(ObjectLoader.TryLoad(bytes, "x.o", bag, out _));
        var d = Assert.Single(bag.Items);
        Assert.Equal(DiagnosticIds.MalformedElf, d.Id);
        return d;
    }

    /// <summary>session_subprog-el.o with the program section <paramref name="renamed"/> given .text's sh_name.</summary>
    private static (byte[] Bytes, int Text, int Renamed) Renamed(string renamed)
    {
        var bytes = File.ReadAllBytes(TestPaths.Sample("session_subprog-el.o"));
        var elf = TestHelpers.Load(bytes, "x.o").Elf;
        var text = elf.FindSection(".text")!;
        var other = elf.FindSection(renamed)!;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)elf.Header.SectionHeaderOffset + (other.Index * 64)), text.NameOffset);
        return (bytes, text.Index, other.Index);
    }

    [Fact]
    public void A_second_text_section_is_named_with_libbpfs_reason()
    {
        var (bytes, text, renamed) = Renamed("fsession/vfs_read");
        var d = LoadError(bytes);
        Assert.StartsWith($"section {renamed} (.text, header at 0x", d.Message, StringComparison.Ordinal);
        Assert.Contains($"is a second code section named .text (the first is section {text})", d.Message, StringComparison.Ordinal);
        Assert.EndsWith("('missing BPF prog type, check ELF section name '.text'')", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_mutated_input_that_crashed_the_rewriter_is_refused_when_read()
    {
        // TestData/Fuzz/patch-two-text-sections.hex: once an IndexOutOfRangeException in ObjectRewriter.Build, then
        // patched; libbpf cannot load it, so it is now damaged input (exit 2) in every command.
        var d = LoadError(FuzzInput.Read(Path.Combine(AppContext.BaseDirectory, "TestData", "Fuzz", "patch-two-text-sections.hex")));
        Assert.Contains("is a second code section named .text", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_text_section_loads()
    {
        var bag = new DiagnosticBag();
        Assert.True(ObjectLoader.TryLoad(File.ReadAllBytes(TestPaths.Sample("session_subprog-el.o")), "x.o", bag, out _));
    }
}
