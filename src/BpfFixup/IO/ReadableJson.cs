// SPDX-License-Identifier: MIT
using System.Text.Encodings.Web;
using System.Text.Json;

namespace BpfFixup.IO;

/// <summary>
/// JSON options for every document the tool writes: instruction text and diagnostics contain '+', '&lt;', '&gt;'
/// and '&amp;', which need no escaping outside HTML, so they are written as they are.
/// </summary>
public static class ReadableJson
{
    /// <summary>A copy of a source-generated context's options with relaxed escaping.</summary>
    public static JsonSerializerOptions From(JsonSerializerOptions options) => new(options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
