// SPDX-License-Identifier: MIT
namespace BpfFixup.Btf;

/// <summary>Raised inside the BTF readers at the first malformed structure; turned into a diagnostic by callers.</summary>
internal sealed class BtfFormatException(string structure, long offset, string message)
    : Exception($"{structure} at 0x{offset:x}: {message}")
{
    /// <summary>Offset within the section.</summary>
    public long Offset { get; } = offset;
}
