// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Numerics;

namespace BpfFixup.Diff;

/// <summary>
/// Number formats of veristat's comparison mode (tools/testing/selftests/bpf/veristat.c,
/// <c>output_comp_stat</c>): the diff is <c>"%+ld (%+.2lf%%)"</c>, and the percentage of a zero base is
/// 0 when both are 0, otherwise ±100.
/// </summary>
internal static class VeristatFormat
{
    /// <summary>The percentage veristat prints for a change from <paramref name="baseValue"/> to <paramref name="compValue"/>.</summary>
    public static double Percent(long baseValue, long compValue)
    {
        var diff = compValue - baseValue;
        if (baseValue == 0)
        {
            return diff == 0 ? 0.0 : (compValue < baseValue ? -100.0 : 100.0);
        }

        return diff * 100.0 / baseValue;
    }

    /// <summary><c>%+ld (%+.2lf%%)</c>.</summary>
    public static string Diff(long baseValue, long compValue)
    {
        var diff = compValue - baseValue;
        return (diff < 0 ? "-" : "+") + Math.Abs(diff).ToString(CultureInfo.InvariantCulture)
            + " (" + SignedFixed2(Percent(baseValue, compValue)) + "%)";
    }

    /// <summary>
    /// C's <c>%+.2f</c>: the exact binary value rounded half-to-even at two decimals (glibc), which
    /// .NET's away-from-zero formatting of exact ties (e.g. 0.125) would not reproduce.
    /// </summary>
    public static string SignedFixed2(double value)
    {
        var negative = double.IsNegative(value);
        var bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        exponent -= 1075;
        var numerator = new BigInteger(mantissa) * 100;
        var denominator = BigInteger.One;
        if (exponent >= 0)
        {
            numerator <<= exponent;
        }
        else
        {
            denominator <<= -exponent;
        }

        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        var twice = remainder * 2;
        if (twice > denominator || (twice == denominator && !quotient.IsEven))
        {
            quotient += 1;
        }

        var digits = quotient.ToString(CultureInfo.InvariantCulture).PadLeft(3, '0');
        return (negative ? "-" : "+") + digits[..^2] + "." + digits[^2..];
    }
}
