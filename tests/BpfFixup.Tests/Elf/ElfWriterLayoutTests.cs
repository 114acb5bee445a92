// SPDX-License-Identifier: MIT
using BpfFixup.Elf;
using BpfFixup.Rewrite;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Elf;

/// <summary>The writer's layout cannot amplify (issue 8): padding is bounded by the input's own layout.</summary>
public class ElfWriterLayoutTests
{
    private static (byte[] Input, byte[] Output) Patch(byte[] input)
    {
        var outcome = FixupPipeline.Run(input, "x.o", new RewriteOptions());
        Assert.NotNull(outcome.Patched);
        return (input, outcome.Rewrite!.Output!);
    }

    [Fact]
    public void Packed_sections_that_claim_64_KiB_alignment_do_not_grow_the_output()
    {
        // 2.2 MB of one-byte sections, each claiming 64 KiB: laid out at their alignment this would be 2.2 GB
        // (and overflowed an int before); now each gets at most 7 bytes of padding.
        const int count = 34_000;
        var (input, output) = Patch(HostileObjects.AlignedSections(count, 65536));
        Assert.True(output.Length <= input.Length + (count * (int)ElfWriter.PaddingAlways) + 4096, $"{input.Length} -> {output.Length} bytes");

        var diags = new Diagnostics.DiagnosticBag();
        Assert.True(ElfReader.TryRead(output, "out.o", diags, out var elf), string.Join("\n", diags.Items));
        var appended = elf!.Sections.Where(s => s.Alignment == 65536).ToList();
        Assert.Equal(count, appended.Count);
        Assert.All(appended, s => Assert.Equal(0UL, s.Offset % 8));
        Assert.All(appended, s => Assert.Equal(0x5a, s.Data[0]));
    }

    [Fact]
    public void Alignment_the_input_honoured_is_kept()
    {
        var (_, output) = Patch(HostileObjects.AlignedSections(3, 65536, packed: false));
        var diags = new Diagnostics.DiagnosticBag();
        Assert.True(ElfReader.TryRead(output, "out.o", diags, out var elf));
        var appended = elf!.Sections.Where(s => s.Alignment == 65536).ToList();
        Assert.Equal(3, appended.Count);
        Assert.All(appended, s => Assert.Equal(0UL, s.Offset % 65536));
    }
}
