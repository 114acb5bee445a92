// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Text;

namespace BpfFixup.Tests.Text;

/// <summary>Names keep every byte: invalid UTF-8 is one character per byte, and the string maps back to the bytes.</summary>
public class RawUtf8Tests
{
    public static TheoryData<byte[]> Invalid => new()
    {
        new byte[] { 0x61, 0xff, 0x62 },       // a byte that is never UTF-8
        new byte[] { 0x61, 0xfe },             // another
        new byte[] { 0xc3 },                   // a sequence cut short at the end
        new byte[] { 0xc3, 0x28 },             // cut short before ASCII
        new byte[] { 0xc0, 0x80 },             // overlong NUL
        new byte[] { 0xed, 0xa0, 0x80 },       // an encoded surrogate (CESU-8)
        new byte[] { 0xf4, 0x90, 0x80, 0x80 }, // past U+10FFFF
        new byte[] { 0x80, 0xbf, 0xe2, 0x9c, 0x93 }, // stray continuation bytes, then a good check mark
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_bytes_round_trip_and_are_never_the_replacement_character(byte[] bytes)
    {
        string s = RawUtf8.Decode(bytes);
        Assert.DoesNotContain('\uFFFD', s);
        Assert.Equal(bytes, RawUtf8.GetBytes(s));
    }

    [Fact]
    public void Valid_utf8_decodes_as_utf8()
    {
        foreach (string text in new[] { string.Empty, "fsession/vfs_read", "é✓", "c\U0001F480d", "\u009b\u202e" })
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            Assert.Equal(text, RawUtf8.Decode(bytes));
            Assert.Equal(bytes, RawUtf8.GetBytes(text));
        }
    }

    [Fact]
    public void Distinct_byte_strings_are_distinct_strings_and_map_back()
    {
        // Deterministic random names over a small alphabet heavy in bytes that break UTF-8.
        var random = new Random(8);
        byte[] alphabet = [0x61, 0x80, 0xbf, 0xc3, 0xa9, 0xe2, 0x9c, 0x93, 0xf0, 0x9f, 0xff, 0xed, 0xa0];
        var seen = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (int i = 0; i < 20000; i++)
        {
            var bytes = new byte[random.Next(1, 7)];
            for (int j = 0; j < bytes.Length; j++)
            {
                bytes[j] = alphabet[random.Next(alphabet.Length)];
            }

            string s = RawUtf8.Decode(bytes);
            Assert.Equal(bytes, RawUtf8.GetBytes(s));
            if (seen.TryGetValue(s, out var earlier))
            {
                Assert.Equal(earlier, bytes);
            }

            seen[s] = bytes;
        }
    }

    [Fact]
    public void A_lone_surrogate_not_from_decoding_is_written_as_utf8_writes_it()
    {
        Assert.Equal(Encoding.UTF8.GetBytes("a\uD800b"), RawUtf8.GetBytes("a\uD800b"));
        Assert.Equal("a\uFFFDb"u8.ToArray(), RawUtf8.GetBytes("a\uD800b"));
    }
}
