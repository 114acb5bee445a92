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
    [InlineData("c1\u009b2J", "c1\\x9b2J")]
    [InlineData("rtl\u202eevil\u2066", "rtl\\u202eevil\\u2066")]
    [InlineData("ls\u2028ps\u2029", "ls\\u2028ps\\u2029")]
    [InlineData("tab\tkept", "tab\tkept")]
    [InlineData("bpf_printk(\"x\\n\")", "bpf_printk(\"x\\n\")")]
    [InlineData("é✓", "é✓")]
    [InlineData("", "")]
    public void Escapes_control_characters_c_style_and_keeps_the_rest(string raw, string printed) =>
        Assert.Equal(printed, Printable.Escape(raw));

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
