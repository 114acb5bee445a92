// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>JSON model of one program's comparison.</summary>
public sealed class ProgramDiffReport
{
    /// <summary>Section + "/" + name.</summary>
    public required string Key { get; init; }

    /// <summary>The ELF section.</summary>
    public required string Section { get; init; }

    /// <summary>The program name.</summary>
    public required string Name { get; init; }

    /// <summary><c>identical</c>, <c>changed</c>, <c>added</c> or <c>removed</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Instruction count in A; absent when added.</summary>
    public int? InsnsA { get; init; }

    /// <summary>Instruction count in B; absent when removed.</summary>
    public int? InsnsB { get; init; }

    /// <summary>B − A; absent for one-sided programs.</summary>
    public int? InsnsDiff { get; init; }

    /// <summary>The change in percent as veristat computes it; absent for one-sided programs.</summary>
    public double? InsnsDiffPercent { get; init; }

    /// <summary>The digest of the listing in A (<see cref="StatTable.Digest"/>); absent when added.</summary>
    public string? ListingA { get; init; }

    /// <summary>The digest of the listing in B; absent when removed.</summary>
    public string? ListingB { get; init; }

    /// <summary>
    /// <c>MATCH</c> when the listings are equal line for line, <c>MISMATCH</c> when not, <c>N/A</c> for a program on one
    /// side only (the stat table's <c>Listing (DIFF)</c>; not a verifier verdict).
    /// </summary>
    public required string ListingDiff { get; init; }

    /// <summary>The hunks; empty when identical.</summary>
    public required IReadOnlyList<HunkReport> Hunks { get; init; }

    /// <summary>
    /// Runs of hunks left out of <see cref="Hunks"/> because an earlier program's diff shows them the same way (only
    /// past the output budget of <see cref="RepeatedHunks"/>); absent when none are.
    /// </summary>
    public IReadOnlyList<RepeatedHunksReport>? RepeatedHunks { get; init; }
}
