// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Text;

namespace BpfFixup.Tests.Text;

public class PrintableTests
{
    [Theory]
    [InlineData("fsession/vfs_read", "fsession/vfs_read")]
    [InlineData("a\nb", "a\\nb")]
    [InlineData("a\r\nb", "a\\r\\nb")]
    [InlineData("\u001b[31mred", "\\x1b[31mred")]
    [InlineData("nul\0del\u007f", "nul\\x00del\\x7f")]
    [InlineData("c1\u009b2J", "c1\\u009b2J")]
    [InlineData("nel\u0085", "nel\\u0085")]
    [InlineData("rtl\u202eevil\u2066", "rtl\\u202eevil\\u2066")]
    [InlineData("ls\u2028ps\u2029", "ls\\u2028ps\\u2029")]
    [InlineData("tab\tkept", "tab\tkept")]
    [InlineData("bpf_printk(\"x\\n\")", "bpf_printk(\"x\\n\")")]
    [InlineData("é✓", "é✓")]
    [InlineData("", "")]
    public void Escapes_control_characters_c_style_and_keeps_the_rest(string raw, string printed) =>
        Assert.Equal(printed, Printable.Escape(raw));

    [Fact]
    public void Bytes_that_are_not_utf8_print_as_hex_bytes_and_characters_as_code_points()
    {
        // A byte 0x9b that is not UTF-8 and the character U+009B (bytes c2 9b) are two names: they print differently.
        Assert.Equal("a\\x9bb", Printable.Escape(RawUtf8.Decode([0x61, 0x9b, 0x62])));
        Assert.Equal("a\\u009bb", Printable.Escape(RawUtf8.Decode([0x61, 0xc2, 0x9b, 0x62])));
        Assert.Equal("prog\\xfe", Printable.Escape(RawUtf8.Decode([0x70, 0x72, 0x6f, 0x67, 0xfe])));
        Assert.Equal("\\xc3(\\xed\\xa0\\x80", Printable.Escape(RawUtf8.Decode([0xc3, 0x28, 0xed, 0xa0, 0x80])));
        Assert.DoesNotContain('\uFFFD', Printable.Escape(RawUtf8.Decode([0xff, 0xfe])));
    }

    [Fact]
    public void Surrogate_pairs_are_kept_and_a_lone_surrogate_is_escaped()
    {
        Assert.Equal("c\U0001F480d", Printable.Escape("c\U0001F480d"));
        Assert.Equal("a\\ud800b", Printable.Escape("a\ud800b"));
        Assert.Equal("\\udbff", Printable.Escape("\udbff"));
        Assert.Equal("x\\u202e\U0001F480\\x1b", Printable.Escape("x\u202e\U0001F480\u001b"));
    }

    [Fact]
    public void Escape_tail_keeps_a_pair_split_across_chunks()
    {
        // A StringBuilder grown by appends holds several chunks; a pair may straddle two.
        for (int pad = 0; pad < 40; pad++)
        {
            var sb = new StringBuilder(16);
            sb.Append('a', pad).Append("\U0001F480").Append('b', 20).Append(RawUtf8.Decode([0xff]));
            Printable.EscapeTail(sb, 0);
            Assert.Equal(new string('a', pad) + "\U0001F480" + new string('b', 20) + "\\xff", sb.ToString());
        }
    }

    [Fact]
    public void Clean_text_is_returned_as_is() =>
        Assert.Same("plain", Printable.Escape("plain"));

    [Fact]
    public void Escape_tail_rewrites_only_what_was_appended()
    {
        var sb = new StringBuilder("kept\n");
        int start = sb.Length;
        sb.Append("x\u001b\ny");
        Printable.EscapeTail(sb, start);
        Assert.Equal("kept\nx\\x1b\\ny", sb.ToString());
    }

    [Fact]
    public void Escaped_text_has_no_character_that_needs_escaping()
    {
        var all = new string(Enumerable.Range(0, 0x3000).Select(i => (char)i).Where(c => !char.IsSurrogate(c)).ToArray());
        Assert.DoesNotContain(Printable.Escape(all), Printable.NeedsEscape);
    }
}
