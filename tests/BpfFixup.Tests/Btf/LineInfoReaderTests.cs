// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Text;
using BpfFixup.Btf;
using BpfFixup.Elf;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Btf;

/// <summary>A source line is shown up to <see cref="LineInfoReader.MaxSourceLine"/> bytes (issue 8: no amplification through line_info).</summary>
public class LineInfoReaderTests
{
    private static (BtfInfo Btf, uint LineOff) WithLine(string line)
    {
        var strings = Encoding.UTF8.GetBytes("\0x.c\0" + line + "\0");
return (BtfBytes.Parse([], strings), 5);
    }

    private static SourceLocationText Resolve(string line)
    {
        var (btf, lineOff) = WithLine(line);
        var rest = new byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(rest, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(rest.AsSpan(4), lineOff);
        BinaryPrimitives.WriteUInt32LittleEndian(rest.AsSpan(8), (7u << 10) | 3);
        var loc = LineInfoReader.Resolve(new BtfExtRecord(0, rest, 0), btf, new EndianBytes(ByteOrder.Little));
        return new SourceLocationText(loc.File, loc.Line, loc.Text);
    }

    private sealed record SourceLocationText(string File, int Line, string? Text);

    [Fact]
    public void A_line_up_to_the_limit_is_shown_whole()
    {
        string line = new('a', LineInfoReader.MaxSourceLine);
        Assert.Equal(new SourceLocationText("x.c", 7, line), Resolve(line));
    }

    [Fact]
    public void A_longer_line_is_cut_and_marked()
    {
        string line = new string('b', LineInfoReader.MaxSourceLine - 1) + "é" + new string('c', 100_000);
        var text = Resolve(line).Text!;
        // The two-byte 'é' straddles the limit: the cut backs off before it.
        Assert.Equal(new string('b', LineInfoReader.MaxSourceLine - 1) + "...", text);
    }
}
