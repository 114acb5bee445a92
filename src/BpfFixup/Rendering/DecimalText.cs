// SPDX-License-Identifier: MIT
using System.Text;

namespace BpfFixup.Rendering;

/// <summary>
/// Decimal numbers appended without <see cref="StringBuilder.Append(int)"/>'s general formatting path: the
/// formatters print a register number or two on every instruction line (issue 11: that path was 5 % of
/// <c>dump</c>). The text is <c>value.ToString(CultureInfo.InvariantCulture)</c>'s.
/// </summary>
internal static class DecimalText
{
    /// <summary>Appends <paramref name="value"/> in decimal, a leading <c>-</c> when negative.</summary>
    public static StringBuilder AppendDecimal(this StringBuilder sb, int value)
    {
        if ((uint)value < 10)
        {
            return sb.Append((char)('0' + value));
        }

        Span<char> digits = stackalloc char[11];
        int at = digits.Length;
        uint magnitude = value < 0 ? (uint)-(long)value : (uint)value;
        do
        {
            digits[--at] = (char)('0' + (magnitude % 10));
            magnitude /= 10;
        }
        while (magnitude != 0);

        if (value < 0)
        {
            digits[--at] = '-';
        }

        return sb.Append(digits[at..]);
    }
}
