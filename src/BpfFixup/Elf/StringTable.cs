// SPDX-License-Identifier: MIT
using BpfFixup.Text;

namespace BpfFixup.Elf;

/// <summary>Reads NUL-terminated names from an ELF string table (gABI "String Table").</summary>
public static class StringTable
{
    /// <summary>
    /// The longest symbol name the kernel keeps (include/linux/kallsyms.h <c>KSYM_NAME_LEN</c>, 512 with its NUL;
    /// kernel/bpf/btf.c rejects longer BTF names): a limit on symbol and type names, so that a few bytes of
    /// string table cannot be read back as thousands of long names.
    /// </summary>
    public const int MaxSymbolName = 511;

    /// <summary>The longest section name read (PATH_MAX, 4096: libbpf's uprobe section names carry a binary's path).</summary>
    public const int MaxSectionName = 4096;

    /// <summary>
    /// Reads the string at <paramref name="offset"/>; false when it is out of range, not terminated, or longer
    /// than <paramref name="maxLength"/> bytes (only that many bytes are looked at).
    /// </summary>
    public static bool TryGet(ReadOnlySpan<byte> table, uint offset, out string value, int maxLength = int.MaxValue)
    {
        value = string.Empty;
        if (offset >= (uint)table.Length)
        {
            return offset == 0 && table.Length == 0;
        }

        var rest = table[(int)offset..];
        if (rest.Length > maxLength)
        {
            rest = rest[..(maxLength + 1)];
        }

        int end = rest.IndexOf((byte)0);
        if (end < 0)
        {
            return false;
        }

        // Every byte kept, valid UTF-8 or not (RawUtf8): two distinct names are never one string.
        value = end == 0 ? string.Empty : RawUtf8.Decode(rest[..end]);
        return true;
    }

    /// <summary>Why <see cref="TryGet"/> failed at <paramref name="offset"/>, for a diagnostic.</summary>
    public static string Problem(ReadOnlySpan<byte> table, uint offset, int maxLength) =>
        offset >= (uint)table.Length ? "is outside the string table"
        : table[(int)offset..].IndexOf((byte)0) < 0 ? "is unterminated"
        : $"names a string longer than {maxLength} bytes";

    /// <summary>Finds an existing copy of <paramref name="value"/> (also as a suffix) or returns -1.</summary>
    public static int Find(ReadOnlySpan<byte> table, string value)
    {
        var needle = RawUtf8.GetBytes(value + "\0");
        // Any occurrence of the bytes and a NUL is a valid string start, suffix sharing included.
        return table.IndexOf(needle);
    }
}
