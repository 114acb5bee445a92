// SPDX-License-Identifier: MIT
using System.Text.Json.Serialization;

namespace BpfFixup.Rendering.Json;

/// <summary>Source-generated serializer for the dump model (AOT and trim safe: no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DumpReport))]
internal sealed partial class DumpJsonContext : JsonSerializerContext;
