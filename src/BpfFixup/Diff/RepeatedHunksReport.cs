// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>JSON model of hunks one program's diff leaves out: an earlier program's diff shows them the same way.</summary>
public sealed class RepeatedHunksReport
{
    /// <summary>The function the hunks are in (its name as the listing shows it).</summary>
    public required string Function { get; init; }

    /// <summary>How many hunks are left out.</summary>
    public required int Count { get; init; }

    /// <summary>The key of the earlier program whose <c>hunks</c> hold them.</summary>
    public required string ListedFor { get; init; }
}
