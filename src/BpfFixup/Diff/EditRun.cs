// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>
/// A run of <paramref name="Count"/> lines of one <see cref="EditKind"/>. Indices are 0-based positions
/// in A and B where the run starts; a <see cref="EditKind.Delete"/> run consumes A only, an
/// <see cref="EditKind.Insert"/> run B only, an <see cref="EditKind.Equal"/> run both.
/// </summary>
/// <param name="Kind">What the run does.</param>
/// <param name="OldIndex">Index in A where the run starts (for inserts: the A position it is inserted before).</param>
/// <param name="NewIndex">Index in B where the run starts (for deletes: the B position where the lines would have been).</param>
/// <param name="Count">Number of lines, at least 1.</param>
public readonly record struct EditRun(EditKind Kind, int OldIndex, int NewIndex, int Count);
