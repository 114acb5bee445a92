// SPDX-License-Identifier: MIT
using System.Text.Json.Serialization;

namespace BpfFixup.Rendering.Json;

/// <summary>A BTF line_info source position, the same in <c>dump --json</c>, <c>check --format json</c> and the patch report.</summary>
/// <param name="Path">The source file's path as BTF records it (what clang was given; not an input of this tool).</param>
/// <param name="Line">Line number.</param>
/// <param name="Column">Column (0 when BTF has none).</param>
/// <param name="Text">The source line's text, or null.</param>
public sealed record SourcePosition(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("line")] int Line,
    [property: JsonPropertyName("column")] int Column,
    [property: JsonPropertyName("text")] string? Text);
