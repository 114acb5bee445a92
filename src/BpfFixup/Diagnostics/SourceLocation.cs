// SPDX-License-Identifier: MIT
namespace BpfFixup.Diagnostics;

/// <summary>A source position from BTF line_info (file, line, column and the line's text).</summary>
public sealed record SourceLocation(string File, int Line, int Column, string? Text)
{
    /// <inheritdoc />
    public override string ToString() => Column > 0 ? $"{File}:{Line}:{Column}" : $"{File}:{Line}";
}
