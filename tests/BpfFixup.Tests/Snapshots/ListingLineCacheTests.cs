// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Snapshots;

namespace BpfFixup.Tests.Snapshots;

/// <summary>Line ids stand for the printed text: equal texts share an id, whatever raw text escaped to them.</summary>
public class ListingLineCacheTests
{
    [Fact]
    public void A_raw_text_that_escapes_to_another_lines_text_gets_that_line_and_id()
    {
        var cache = new ListingLineCache();
        var escaped = cache.Of("f\nx:");      // a name holding a newline prints as f\nx:
        var plain = cache.Of("f\\nx:");       // a name holding a backslash and an n prints the same
        Assert.Equal("f\\nx:", escaped.Line.Text);
        Assert.Same(escaped.Line, plain.Line);
        Assert.Equal(escaped.Id, plain.Id);
    }

    [Fact]
    public void Equal_texts_share_an_id_and_different_ones_do_not_whether_given_as_strings_or_builders()
    {
        var cache = new ListingLineCache();
        var a = cache.Of("    r0 = 0x0");
        var b = cache.Of(new StringBuilder("    r0 = 0x0"));
        var c = cache.Of(new StringBuilder("    r0 = 0x1"));
        var d = cache.Of("    ; caf\u00e9 \u202e (x.c)");
        Assert.Same(a.Line, b.Line);
        Assert.Equal(a.Id, b.Id);
        Assert.NotEqual(a.Id, c.Id);
        Assert.Equal("    ; caf\u00e9 \\u202e (x.c)", d.Line.Text);
        Assert.Equal(d.Line.Text, d.Line.Compare);
    }
}
