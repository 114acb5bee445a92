// SPDX-License-Identifier: MIT
using System.Text.Json.Serialization;

namespace BpfFixup.Diff;

/// <summary>Source-generated (reflection-free, AOT/trim-safe) JSON metadata for <see cref="ListingDiffReport"/>.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    NewLine = "\n",
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ListingDiffReport))]
public sealed partial class ListingDiffJsonContext : JsonSerializerContext;
