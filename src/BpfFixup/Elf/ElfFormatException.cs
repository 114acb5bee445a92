// SPDX-License-Identifier: MIT
namespace BpfFixup.Elf;

/// <summary>
/// Raised inside the readers to stop at the first malformed structure; the public Try* APIs turn it into a
/// <see cref="Diagnostics.Diagnostic"/>. Never escapes the library.
/// </summary>
/// <param name="structure">The structure, e.g. <c>section header 5 (.text)</c>.</param>
/// <param name="offset">Its byte offset in the file (or in the section for BTF).</param>
/// <param name="message">What is wrong.</param>
internal sealed class ElfFormatException(string structure, long offset, string message)
    : Exception($"{structure} at 0x{offset:x}: {message}")
{
    /// <summary>The structure that is malformed.</summary>
    public string Structure { get; } = structure;

    /// <summary>The byte offset of the structure.</summary>
    public long Offset { get; } = offset;
}
