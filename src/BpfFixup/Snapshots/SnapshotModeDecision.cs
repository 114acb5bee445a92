// SPDX-License-Identifier: MIT
namespace BpfFixup.Snapshots;

/// <summary>The mode a run uses after the environment is consulted, and why.</summary>
/// <param name="Mode">The effective mode.</param>
/// <param name="OnCi">Whether <c>CI</c> is set.</param>
/// <param name="Notes">Explanations worth printing (ignored or overriding settings), in order.</param>
public sealed record SnapshotModeDecision(SnapshotMode Mode, bool OnCi, IReadOnlyList<string> Notes);
