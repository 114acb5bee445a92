// SPDX-License-Identifier: MIT
namespace BpfFixup.Snapshots;

/// <summary>Several entries of one run that map to the same snapshot file name (ignoring case).</summary>
/// <param name="FileName">The file name (as the first entry spells it).</param>
/// <param name="Keys">The keys of the colliding entries, in input order.</param>
public sealed record SnapshotCollision(string FileName, IReadOnlyList<string> Keys);
