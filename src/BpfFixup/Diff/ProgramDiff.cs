// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>The comparison of one program key between A and B.</summary>
/// <param name="Key">The program key (<see cref="ProgramListing.Key"/>).</param>
/// <param name="Status">Identical, changed, added or removed.</param>
/// <param name="Old">The program in A, or null when added.</param>
/// <param name="New">The program in B, or null when removed.</param>
/// <param name="Hunks">The hunks (lines index <c>Old.Lines</c> and <c>New.Lines</c>); empty when identical.</param>
public sealed record ProgramDiff(string Key, ProgramDiffStatus Status, ProgramListing? Old, ProgramListing? New, IReadOnlyList<DiffHunk> Hunks)
{
    /// <summary>The section, from whichever side has the program.</summary>
    public string Section => (Old ?? New)!.Section;

    /// <summary>The program name, from whichever side has the program.</summary>
    public string Name => (Old ?? New)!.Name;
}
