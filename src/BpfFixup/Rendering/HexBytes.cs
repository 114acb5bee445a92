// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using System.Text;

namespace BpfFixup.Rendering;

/// <summary>Lowercase hex rendering without allocations per byte.</summary>
internal static class HexBytes
{
    private const string Digits = "0123456789abcdef";

    /// <summary>
    /// <c>"xx "</c> of every byte value and one more char, as four chars in one <see cref="ulong"/> (filled through a
    /// char view, so in the machine's byte order): <see cref="Append"/> stores a byte's digits and separator with one
    /// write, the fourth char being overwritten by the next byte's.
    /// </summary>
    private static readonly ulong[] SpacedPairs = MakeSpacedPairs();

    /// <summary>Appends <paramref name="bytes"/> as hex pairs, separated by <paramref name="separator"/> when not NUL.</summary>
    public static void Append(StringBuilder sb, ReadOnlySpan<byte> bytes, char separator)
    {
        if (separator == ' ' && bytes.Length is > 0 and <= 32)
        {
            // Every instruction of a listing (llvm-objdump's raw bytes): a digit lookup per nibble and a bounds check
            // per char cost some 40 instructions a byte; one table read and one store cost a few. 32 bytes take 96
            // chars, and the last store writes one past them: 25 ulongs (100 chars).
            Span<ulong> buffer = stackalloc ulong[25];
            var raw = MemoryMarshal.AsBytes(buffer);
            var table = SpacedPairs;
            for (int i = 0; i < bytes.Length; i++)
            {
                MemoryMarshal.Write(raw[(i * 3 * sizeof(char))..], in table[bytes[i]]);
            }

            sb.Append(MemoryMarshal.Cast<ulong, char>(buffer)[..((bytes.Length * 3) - 1)]);
            return;
        }

        int width = separator == '\0' ? 2 : 3;
        Span<char> chars = bytes.Length <= 32 ? stackalloc char[bytes.Length * 3] : new char[bytes.Length * 3];
        int at = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (i > 0 && width == 3)
            {
                chars[at++] = separator;
            }

            chars[at++] = Digits[bytes[i] >> 4];
            chars[at++] = Digits[bytes[i] & 0xf];
        }

        sb.Append(chars[..at]);
    }

    private static ulong[] MakeSpacedPairs()
    {
        var table = new ulong[256];
        var chars = MemoryMarshal.Cast<ulong, char>(table.AsSpan());
        for (int b = 0; b < 256; b++)
        {
            chars[4 * b] = Digits[b >> 4];
            chars[(4 * b) + 1] = Digits[b & 0xf];
            chars[(4 * b) + 2] = ' ';
        }

        return table;
    }

    /// <summary>The bytes as one lowercase hex string with no spaces.</summary>
    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Appends <paramref name="value"/> as 16 hex digits (llvm-objdump's address form).</summary>
    public static void AppendAddress(StringBuilder sb, ulong value)
    {
        for (int shift = 60; shift >= 0; shift -= 4)
        {
            sb.Append(Digits[(int)((value >> shift) & 0xf)]);
        }
    }

    /// <summary>Appends <paramref name="value"/> in lowercase hex without leading zeros (<c>$"{value:x}"</c>'s text, without its formatter).</summary>
    public static StringBuilder AppendHex(this StringBuilder sb, ulong value)
    {
        Span<char> digits = stackalloc char[16];
        int at = digits.Length;
        do
        {
            digits[--at] = Digits[(int)(value & 0xf)];
            value >>= 4;
        }
        while (value != 0);

        return sb.Append(digits[at..]);
    }

    /// <summary>Appends <paramref name="value"/> as two lowercase hex digits (<c>$"{value:x2}"</c>'s text).</summary>
    public static StringBuilder AppendHex2(this StringBuilder sb, byte value) => sb.Append(Digits[value >> 4]).Append(Digits[value & 0xf]);

    /// <summary>Appends <paramref name="value"/> right-aligned in <paramref name="width"/> columns (printf <c>%*d</c>).</summary>
    public static void AppendPadded(StringBuilder sb, int value, int width)
    {
        int digits = 1;
        for (int v = value; v >= 10; v /= 10)
        {
            digits++;
        }

        if (value >= 0 && digits < width)
        {
            sb.Append(' ', width - digits);
        }

        sb.AppendDecimal(value);
    }
}
