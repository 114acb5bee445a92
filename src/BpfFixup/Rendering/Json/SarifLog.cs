// SPDX-License-Identifier: MIT
using System.Text.Json.Serialization;

namespace BpfFixup.Rendering.Json;

/// <summary>SARIF 2.1.0 log (OASIS SARIF v2.1.0, §3.13 sarifLog), the subset code-scanning upload reads.</summary>
public sealed record SarifLog(
    [property: JsonPropertyName("$schema")] string Schema,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("runs")] IReadOnlyList<SarifRun> Runs);

/// <summary>§3.14 run.</summary>
public sealed record SarifRun(
    [property: JsonPropertyName("tool")] SarifTool Tool,
    [property: JsonPropertyName("results")] IReadOnlyList<SarifResult> Results);

/// <summary>§3.18 tool.</summary>
public sealed record SarifTool([property: JsonPropertyName("driver")] SarifDriver Driver);

/// <summary>§3.19 toolComponent.</summary>
public sealed record SarifDriver(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("semanticVersion")] string SemanticVersion,
    [property: JsonPropertyName("rules")] IReadOnlyList<SarifRule> Rules);

/// <summary>§3.49 reportingDescriptor.</summary>
public sealed record SarifRule(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("shortDescription")] SarifMessage ShortDescription);

/// <summary>§3.11 message.</summary>
public sealed record SarifMessage([property: JsonPropertyName("text")] string Text);

/// <summary>§3.27 result.</summary>
public sealed record SarifResult(
    [property: JsonPropertyName("ruleId")] string RuleId,
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("message")] SarifMessage Message,
    [property: JsonPropertyName("locations")] IReadOnlyList<SarifLocation> Locations);

/// <summary>§3.28 location.</summary>
public sealed record SarifLocation(
    [property: JsonPropertyName("physicalLocation")] SarifPhysicalLocation PhysicalLocation,
    [property: JsonPropertyName("logicalLocations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SarifLogicalLocation>? LogicalLocations);

/// <summary>§3.29 physicalLocation.</summary>
public sealed record SarifPhysicalLocation(
    [property: JsonPropertyName("artifactLocation")] SarifArtifactLocation ArtifactLocation,
    [property: JsonPropertyName("region"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SarifRegion? Region);

/// <summary>§3.4 artifactLocation.</summary>
public sealed record SarifArtifactLocation([property: JsonPropertyName("uri")] string Uri);

/// <summary>§3.30 region.</summary>
public sealed record SarifRegion(
    [property: JsonPropertyName("startLine")] int StartLine,
    [property: JsonPropertyName("startColumn"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? StartColumn);

/// <summary>§3.33 logicalLocation.</summary>
public sealed record SarifLogicalLocation(
    [property: JsonPropertyName("fullyQualifiedName")] string FullyQualifiedName,
    [property: JsonPropertyName("kind")] string Kind);
