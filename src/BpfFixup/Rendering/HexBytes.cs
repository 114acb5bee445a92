// SPDX-License-Identifier: MIT
using System.Text;

namespace BpfFixup.Rendering;

/// <summary>Lowercase hex rendering without allocations per byte.</summary>
internal static class HexBytes
{
    private const string Digits = "0123456789abcdef";

    /// <summary>Appends <paramref name="bytes"/> as hex pairs, separated by <paramref name="separator"/> when not NUL.</summary>
    public static void Append(StringBuilder sb, ReadOnlySpan<byte> bytes, char separator)
    {
        // Formatted into a stack buffer and appended once: this runs for every instruction of a listing.
        int width = separator == '\0' ? 2 : 3;
        Span<char> buffer = bytes.Length <= 32 ? stackalloc char[bytes.Length * 3] : new char[bytes.Length * 3];
        int at = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (i > 0 && width == 3)
            {
                buffer[at++] = separator;
            }

            buffer[at++] = Digits[bytes[i] >> 4];
            buffer[at++] = Digits[bytes[i] & 0xf];
        }

        sb.Append(buffer[..at]);
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
