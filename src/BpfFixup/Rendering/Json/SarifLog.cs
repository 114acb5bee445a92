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
    [property: JsonPropertyName("invocations")] IReadOnlyList<SarifInvocation> Invocations,
    [property: JsonPropertyName("originalUriBaseIds"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, SarifArtifactLocation>? OriginalUriBaseIds,
    [property: JsonPropertyName("results")] IReadOnlyList<SarifResult> Results);

/// <summary>§3.18 tool.</summary>
public sealed record SarifTool([property: JsonPropertyName("driver")] SarifDriver Driver);

/// <summary>§3.19 toolComponent.</summary>
public sealed record SarifDriver(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("semanticVersion")] string SemanticVersion,
    [property: JsonPropertyName("informationUri")] string InformationUri,
    [property: JsonPropertyName("rules")] IReadOnlyList<SarifRule> Rules,
    [property: JsonPropertyName("notifications"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SarifRule>? Notifications);

/// <summary>§3.49 reportingDescriptor (a rule, or a notification's descriptor).</summary>
public sealed record SarifRule(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("shortDescription")] SarifMessage ShortDescription,
    [property: JsonPropertyName("fullDescription")] SarifMessage FullDescription,
    [property: JsonPropertyName("help")] SarifMultiformatMessage Help,
    [property: JsonPropertyName("helpUri")] string HelpUri,
    [property: JsonPropertyName("defaultConfiguration")] SarifConfiguration DefaultConfiguration);

/// <summary>§3.50 reportingConfiguration.</summary>
public sealed record SarifConfiguration([property: JsonPropertyName("level")] string Level);

/// <summary>§3.11 message (plain text).</summary>
public sealed record SarifMessage([property: JsonPropertyName("text")] string Text);

/// <summary>§3.12 multiformatMessageString: text and GitHub-flavoured markdown.</summary>
public sealed record SarifMultiformatMessage(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("markdown")] string Markdown);

/// <summary>§3.20 invocation: whether the run worked, and what went wrong with inputs.</summary>
public sealed record SarifInvocation(
    [property: JsonPropertyName("executionSuccessful")] bool ExecutionSuccessful,
    [property: JsonPropertyName("toolExecutionNotifications")] IReadOnlyList<SarifNotification> ToolExecutionNotifications);

/// <summary>§3.58 notification.</summary>
public sealed record SarifNotification(
    [property: JsonPropertyName("descriptor")] SarifDescriptorReference Descriptor,
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("message")] SarifMessage Message,
    [property: JsonPropertyName("locations")] IReadOnlyList<SarifLocation> Locations);

/// <summary>§3.52 reportingDescriptorReference.</summary>
public sealed record SarifDescriptorReference(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("index")] int Index);

/// <summary>§3.27 result.</summary>
public sealed record SarifResult(
    [property: JsonPropertyName("ruleId")] string RuleId,
    [property: JsonPropertyName("ruleIndex")] int RuleIndex,
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("message")] SarifMessage Message,
    [property: JsonPropertyName("locations")] IReadOnlyList<SarifLocation> Locations,
    [property: JsonPropertyName("partialFingerprints")] IReadOnlyDictionary<string, string> PartialFingerprints);

/// <summary>§3.28 location.</summary>
public sealed record SarifLocation(
    [property: JsonPropertyName("physicalLocation")] SarifPhysicalLocation PhysicalLocation,
    [property: JsonPropertyName("logicalLocations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SarifLogicalLocation>? LogicalLocations);

/// <summary>§3.29 physicalLocation.</summary>
public sealed record SarifPhysicalLocation(
    [property: JsonPropertyName("artifactLocation")] SarifArtifactLocation ArtifactLocation,
    [property: JsonPropertyName("region"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SarifRegion? Region);

/// <summary>§3.4 artifactLocation: a URI, relative to <paramref name="UriBaseId"/> when that is set (§3.4.4).</summary>
public sealed record SarifArtifactLocation(
    [property: JsonPropertyName("uri")] string Uri,
    [property: JsonPropertyName("uriBaseId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UriBaseId = null);

/// <summary>§3.30 region.</summary>
public sealed record SarifRegion(
    [property: JsonPropertyName("startLine")] int StartLine,
    [property: JsonPropertyName("startColumn"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? StartColumn,
    [property: JsonPropertyName("snippet"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SarifMessage? Snippet = null);

/// <summary>§3.33 logicalLocation.</summary>
public sealed record SarifLogicalLocation(
    [property: JsonPropertyName("fullyQualifiedName")] string FullyQualifiedName,
    [property: JsonPropertyName("kind")] string Kind);
