// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;

namespace BpfFixup.Rendering.Sarif;

/// <summary>What a SARIF log records besides the analyses.</summary>
public sealed record SarifOptions
{
    /// <summary>The tool's semantic version (tool.driver.semanticVersion).</summary>
    public required string Version { get; init; }

    /// <summary>The directory source paths are relative to (<c>--source-root</c>), or null: see <see cref="ArtifactUris"/>.</summary>
    public string? SourceRoot { get; init; }

    /// <summary>Inputs that could not be read, one diagnostic each: tool execution notifications, and the run is not successful.</summary>
    public IReadOnlyList<Diagnostic> InputFailures { get; init; } = [];
}
