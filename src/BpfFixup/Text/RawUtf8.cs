// SPDX-License-Identifier: MIT
using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace BpfFixup.Text;

/// <summary>
/// Names from an ELF file as strings that keep every byte. ELF and BTF names are bytes (gABI "String Table"); most
/// are UTF-8, but a name need not be, and decoding with replacement made each invalid byte U+FFFD, so that two
/// distinct names printed the same (issue 8). Here each byte that is not part of valid UTF-8 becomes the lone low
/// surrogate U+DC80 + (byte - 0x80), as Python's <c>surrogateescape</c> does (PEP 383): valid UTF-8 never decodes to
/// a surrogate, so the string maps back to exactly the bytes (<see cref="GetBytes"/>). Text outputs print such a
/// character as <c>\xNN</c> (<see cref="Printable"/>). JSON and SARIF cannot hold the byte (RFC 8259 section 8.1: JSON
/// text is UTF-8) and should not hold an unpaired <c>\udcNN</c> escape (RFC 8259 section 8.2: receivers behave
/// unpredictably; RFC 7493 section 2.1, I-JSON, forbids it), so System.Text.Json's writer puts U+FFFD (<c>\uFFFD</c>)
/// in its place: every document stays valid UTF-8 JSON that any parser reads.
/// </summary>
public static class RawUtf8
{
    /// <summary>The first of the characters that stand for an invalid byte (that of byte 0x80).</summary>
    public const char FirstByteChar = '\uDC80';

    /// <summary>The last of them (that of byte 0xff).</summary>
    public const char LastByteChar = '\uDCFF';

    /// <summary><paramref name="bytes"/> as a string, each byte that is not valid UTF-8 kept as its own character.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var sb = new StringBuilder(bytes.Length);
        Span<char> pair = stackalloc char[2];
        while (!bytes.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(bytes, out var rune, out int consumed);
            if (status == OperationStatus.Done)
            {
                sb.Append(pair[..rune.EncodeToUtf16(pair)]);
            }
            else
            {
                // An invalid sequence (or one cut short): each of its bytes, all >= 0x80, on its own.
                for (int i = 0; i < consumed; i++)
                {
                    sb.Append(ByteChar(bytes[i]));
                }
            }

            bytes = bytes[consumed..];
        }

        return sb.ToString();
    }

    /// <summary>The bytes <paramref name="text"/> was decoded from (<see cref="Decode"/>); UTF-8 for any other text.</summary>
    public static byte[] GetBytes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAnyInRange(FirstByteChar, LastByteChar) < 0)
        {
            return Encoding.UTF8.GetBytes(text);
        }

        var bytes = new List<byte>(text.Length + 8);
        Span<byte> utf8 = stackalloc byte[4];
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out int consumed) == OperationStatus.Done)
            {
                int n = rune.EncodeToUtf8(utf8);
                for (int i = 0; i < n; i++)
                {
                    bytes.Add(utf8[i]);
                }
            }
            else if (IsByteChar(rest[0]))
            {
                bytes.Add((byte)(rest[0] - FirstByteChar + 0x80));
                consumed = 1;
            }
            else
            {
                // Another lone surrogate (never from Decode): UTF-8's replacement, as Encoding.UTF8 writes it.
                bytes.AddRange("\uFFFD"u8);
                consumed = 1;
            }

            rest = rest[consumed..];
        }

        return [.. bytes];
    }

    /// <summary>Whether <paramref name="c"/> stands for an invalid byte (a lone surrogate from U+DC80 to U+DCFF).</summary>
    /// <remarks>The low half of a surrogate pair is in that range too: callers tell pairs apart first.</remarks>
    public static bool IsByteChar(char c) => c is >= FirstByteChar and <= LastByteChar;

    /// <summary>The byte <paramref name="c"/> stands for (<see cref="IsByteChar"/>).</summary>
    public static byte ByteOf(char c) => (byte)(c - FirstByteChar + 0x80);

    private static char ByteChar(byte b) => (char)(FirstByteChar + (b - 0x80));
}
