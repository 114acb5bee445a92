// SPDX-License-Identifier: MIT
using System.Text.Json.Serialization;

namespace BpfFixup.Rendering.Json;

/// <summary>The JSON report of <c>bpffixup patch --report</c> (docs/json-schema.md).</summary>
public sealed record PatchDocument(
    [property: JsonPropertyName("schemaVersion")] int SchemaVersion,
    [property: JsonPropertyName("objects")] IReadOnlyList<PatchObject> Objects);

/// <summary>What the fixup did to one object.</summary>
public sealed record PatchObject(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("output")] string? Output,
    [property: JsonPropertyName("written")] bool Written,
    [property: JsonPropertyName("abi")] string Abi,
    [property: JsonPropertyName("unchanged")] bool Unchanged,
    [property: JsonPropertyName("isReturnInlined")] int IsReturnInlined,
    [property: JsonPropertyName("cookieInlined")] int CookieInlined,
    [property: JsonPropertyName("kept")] int Kept,
    [property: JsonPropertyName("slotsBefore")] int SlotsBefore,
    [property: JsonPropertyName("slotsAfter")] int SlotsAfter,
    [property: JsonPropertyName("specialised")] IReadOnlyList<PatchSpecialisation> Specialised,
    [property: JsonPropertyName("droppedSections")] IReadOnlyList<string> DroppedSections,
    [property: JsonPropertyName("inlined")] IReadOnlyList<PatchInlinedSite> Inlined,
    [property: JsonPropertyName("diagnostics")] IReadOnlyList<CheckDiagnostic> Diagnostics)
{
    /// <summary>With <c>--kernel-inlines</c>: the tracing helper calls inlined as do_misc_fixups does; absent without the option.</summary>
    [JsonPropertyName("helpersInlined")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? HelpersInlined { get; init; }

    /// <summary>With <c>--kernel-inlines</c>: those helper calls kept (tp_btf forms, code shared by programs that need different sequences).</summary>
    [JsonPropertyName("helpersKept")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? HelpersKept { get; init; }
}

/// <summary>A subprogram copied for fsession callers.</summary>
public sealed record PatchSpecialisation(
    [property: JsonPropertyName("original")] string Original,
    [property: JsonPropertyName("copy")] string Copy);

/// <summary>One inlined call.</summary>
public sealed record PatchInlinedSite(
    [property: JsonPropertyName("section")] string Section,
    [property: JsonPropertyName("originalIndex")] int OriginalIndex,
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("length")] int Length,
    [property: JsonPropertyName("kfunc")] string Kfunc);
