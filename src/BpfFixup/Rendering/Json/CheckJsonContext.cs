// SPDX-License-Identifier: MIT
using System.Text.Json.Serialization;

namespace BpfFixup.Rendering.Json;

/// <summary>Source-generated serialisation for check reports and SARIF (trim- and AOT-safe).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CheckDocument))]
[JsonSerializable(typeof(SarifLog))]
[JsonSerializable(typeof(CheckObject))]
[JsonSerializable(typeof(SarifTool))]
[JsonSerializable(typeof(SarifResult))]
[JsonSerializable(typeof(SarifInvocation))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, SarifArtifactLocation>))]
[JsonSerializable(typeof(PatchDocument))]
internal sealed partial class CheckJsonContext : JsonSerializerContext;
