// SPDX-License-Identifier: MIT
using System.Text.Json;
using BpfFixup.Diagnostics;
using BpfFixup.Rendering.Json;

namespace BpfFixup.Rendering;

/// <summary>Fields the streamed JSON writers (<see cref="DumpJson"/>, <see cref="CheckReport"/>) write alike, as their serialisation wrote them.</summary>
internal static class JsonFields
{
    /// <summary><c>"name": "value"</c>, or <c>"name": null</c>.</summary>
    public static void WriteStringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary><c>"source"</c>: the <see cref="SourcePosition"/> of <paramref name="source"/>, or null.</summary>
    public static void WriteSource(Utf8JsonWriter writer, SourceLocation? source)
    {
        if (source is not { } s)
        {
            writer.WriteNull("source");
            return;
        }

        writer.WriteStartObject("source");
        writer.WriteString("path", s.File);
        writer.WriteNumber("line", s.Line);
        writer.WriteNumber("column", s.Column);
        WriteStringOrNull(writer, "text", s.Text);
        writer.WriteEndObject();
    }
}
