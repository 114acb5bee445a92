// SPDX-License-Identifier: MIT
using System.Text;

namespace BpfFixup.Elf;

/// <summary>Reads NUL-terminated names from an ELF string table (gABI "String Table").</summary>
public static class StringTable
{
    /// <summary>Reads the string at <paramref name="offset"/>; false when it is out of range or not terminated.</summary>
    public static bool TryGet(ReadOnlySpan<byte> table, uint offset, out string value)
    {
        value = string.Empty;
        if (offset >= (uint)table.Length)
        {
            return offset == 0 && table.Length == 0;
        }

        var rest = table[(int)offset..];
        int end = rest.IndexOf((byte)0);
        if (end < 0)
        {
            return false;
        }

        value = end == 0 ? string.Empty : Encoding.UTF8.GetString(rest[..end]);
        return true;
    }

    /// <summary>Finds an existing copy of <paramref name="value"/> (also as a suffix) or returns -1.</summary>
    public static int Find(ReadOnlySpan<byte> table, string value)
    {
        var needle = Encoding.UTF8.GetBytes(value + "\0");
        // Any occurrence of the bytes and a NUL is a valid string start, suffix sharing included.
        return table.IndexOf(needle);
    }
}
