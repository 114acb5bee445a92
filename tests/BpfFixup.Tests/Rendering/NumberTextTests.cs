// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text;
using BpfFixup.Rendering;

namespace BpfFixup.Tests.Rendering;

/// <summary>The formatters' own number appenders print what the general formatter prints.</summary>
public class NumberTextTests
{
    public static TheoryData<long> Values()
    {
        var values = new SortedSet<long> { 0, 1, 9, 10, 11, 15, 16, 99, 100, -1, -9, -10, int.MaxValue, int.MinValue, uint.MaxValue, long.MaxValue, long.MinValue };
        var random = new Random(11);
        for (int i = 0; i < 200; i++)
        {
            values.Add(random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(64));
        }

        var data = new TheoryData<long>();
        foreach (long v in values)
        {
            data.Add(v);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void Decimal_and_hex_match_ToString(long value)
    {
        int i = unchecked((int)value);
        Assert.Equal("x" + i.ToString(CultureInfo.InvariantCulture), new StringBuilder("x").AppendDecimal(i).ToString());
        Assert.Equal("x" + ((ulong)value).ToString("x", CultureInfo.InvariantCulture), new StringBuilder("x").AppendHex((ulong)value).ToString());
        byte b = unchecked((byte)value);
        Assert.Equal(b.ToString("x2", CultureInfo.InvariantCulture), new StringBuilder().AppendHex2(b).ToString());
        var padded = new StringBuilder();
        HexBytes.AppendPadded(padded, i, 8);
        Assert.Equal(i >= 0 ? string.Format(CultureInfo.InvariantCulture, "{0,8}", i) : i.ToString(CultureInfo.InvariantCulture), padded.ToString());
    }
}
