// SPDX-License-Identifier: MIT
using System.Text.Json.Serialization;

namespace BpfFixup.Rendering.Json;

/// <summary>The JSON document of <c>bpffixup check --format json</c> (docs/json-schema.md).</summary>
public sealed record CheckDocument(
    [property: JsonPropertyName("schemaVersion")] int SchemaVersion,
    [property: JsonPropertyName("objects")] IReadOnlyList<CheckObject> Objects);

/// <summary>One object's findings.</summary>
public sealed record CheckObject(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("byteOrder")] string ByteOrder,
    [property: JsonPropertyName("abi")] string Abi,
    [property: JsonPropertyName("programs")] IReadOnlyList<CheckProgram> Programs,
    [property: JsonPropertyName("cookieSlotsByTarget")] IReadOnlyDictionary<string, int> CookieSlotsByTarget,
    [property: JsonPropertyName("diagnostics")] IReadOnlyList<CheckDiagnostic> Diagnostics);

/// <summary>One program's report.</summary>
public sealed record CheckProgram(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("section")] string Section,
    [property: JsonPropertyName("programType")] string? ProgramType,
    [property: JsonPropertyName("attachType")] string AttachType,
    [property: JsonPropertyName("sleepable")] bool Sleepable,
    [property: JsonPropertyName("usesCookie")] bool UsesCookie,
    [property: JsonPropertyName("subprograms")] IReadOnlyList<string> Subprograms,
    [property: JsonPropertyName("callSites")] IReadOnlyList<CheckCallSite> CallSites)
{
    /// <summary>
    /// The runs of call sites, one per function, that an earlier program of the object lists the same way (same
    /// sites, actions, R1 and reasons): they are left out of <see cref="CallSites"/>; absent when there are none.
    /// </summary>
    [JsonPropertyName("repeatedCallSites")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<CheckRepeatedCallSites>? RepeatedCallSites { get; init; }
}

/// <summary><see cref="Count"/> call sites of <see cref="Function"/> that program <see cref="ListedFor"/>'s callSites list with the same verdicts.</summary>
public sealed record CheckRepeatedCallSites(
    [property: JsonPropertyName("section")] string Section,
    [property: JsonPropertyName("function")] string Function,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("listedFor")] string ListedFor);

/// <summary>One call site as one program sees it.</summary>
public sealed record CheckCallSite(
    [property: JsonPropertyName("section")] string Section,
    [property: JsonPropertyName("function")] string Function,
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("kfunc")] string Kfunc,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("r1")] string R1,
    [property: JsonPropertyName("reason")] string Reason);

/// <summary>One diagnostic (in check's and patch's documents; the object it concerns is the enclosing one's <c>file</c>).</summary>
public sealed record CheckDiagnostic(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("severity")] string Severity,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("section")] string? Section,
    [property: JsonPropertyName("function")] string? Function,
    [property: JsonPropertyName("program")] string? Program,
    [property: JsonPropertyName("index")] int? Index,
    [property: JsonPropertyName("source")] SourcePosition? Source);
