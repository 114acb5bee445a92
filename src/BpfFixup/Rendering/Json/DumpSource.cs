// SPDX-License-Identifier: MIT
namespace BpfFixup.Rendering.Json;

/// <summary>A BTF line_info source position in <c>dump --json</c>.</summary>
/// <param name="File">The file name as BTF records it.</param>
/// <param name="Line">Line number.</param>
/// <param name="Column">Column.</param>
/// <param name="Text">The source line's text, or null.</param>
public sealed record DumpSource(string File, int Line, int Column, string? Text);
