// SPDX-License-Identifier: MIT
using BpfFixup.Snapshots;
using CsCheck;

namespace BpfFixup.Tests.Snapshots;

public sealed class SnapshotTextTests
{
    [Fact]
    public void Bom_crlf_and_trailing_newlines_are_normalised()
    {
        Assert.Equal("a\nb", SnapshotText.Decode([0xEF, 0xBB, 0xBF, (byte)'a', 13, 10, (byte)'b', 13, 10, 10]));
        Assert.Equal("a\nb", SnapshotText.Normalize("\uFEFFa\rb\n"));
    }

    [Fact]
    public void Encoding_has_no_bom()
    {
        Assert.Equal([(byte)'x', (byte)'\n', (byte)'y'], SnapshotText.Encode("x\r\ny\n"));
        Assert.Empty(SnapshotText.Utf8.GetPreamble());
    }

    [Fact]
    public void Write_then_read_is_stable()
    {
        Gen.String.Sample(s =>
        {
            var n = SnapshotText.Normalize(s);
            Assert.Equal(n, SnapshotText.Normalize(n));
            if (!n.Any(char.IsSurrogate))
            {
                Assert.Equal(n, SnapshotText.Decode(SnapshotText.Encode(s)));
            }
        }, iter: 2000);
    }
}
