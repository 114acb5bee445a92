// SPDX-License-Identifier: MIT
namespace BpfFixup.Snapshots;

/// <summary>The result for one entry.</summary>
/// <param name="Key">The entry's key.</param>
/// <param name="FileName">The verified file name.</param>
/// <param name="Outcome">What happened.</param>
public sealed record SnapshotEntryResult(string Key, string FileName, SnapshotOutcome Outcome)
{
    /// <summary>Unified diff verified → actual for <see cref="SnapshotOutcome.Mismatched"/> and <see cref="SnapshotOutcome.Missing"/>.</summary>
    public string? Diff { get; init; }

    /// <summary>The received file written beside the verified one, if any.</summary>
    public string? ReceivedFileName { get; init; }

    /// <summary>The problem, for <see cref="SnapshotOutcome.Error"/>.</summary>
    public string? Error { get; init; }

    /// <summary>Whether this entry makes the run fail.</summary>
    public bool IsFailure => Outcome is SnapshotOutcome.Mismatched or SnapshotOutcome.Missing or SnapshotOutcome.Error;
}
