// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>JSON model of a listing comparison, for tools.</summary>
public sealed class ListingDiffReport
{
    /// <summary><see cref="IO.JsonDocuments.SchemaVersion"/>.</summary>
    public int SchemaVersion { get; init; } = IO.JsonDocuments.SchemaVersion;

    /// <summary>Display name of file A.</summary>
    public required string OldFile { get; init; }

    /// <summary>Display name of file B.</summary>
    public required string NewFile { get; init; }

    /// <summary>Whether any program changed, was added or was removed.</summary>
    public required bool HasDifferences { get; init; }

    /// <summary>One entry per program key, ordered by key (ordinal).</summary>
    public required IReadOnlyList<ProgramDiffReport> Programs { get; init; }
}
