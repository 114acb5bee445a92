// SPDX-License-Identifier: MIT
namespace BpfFixup.Snapshots;

/// <summary>One snapshot a run produces.</summary>
/// <param name="Key">Identity used in reports and collision messages, e.g. <c>x.o:fsession/foo</c>.</param>
/// <param name="FileName">Verified file name (a single safe component ending in <c>.verified.txt</c>),
/// normally from <see cref="SnapshotNaming.VerifiedFileName"/>.</param>
/// <param name="Content">The text; normalised by <see cref="SnapshotText"/> before comparing and writing.</param>
public sealed record SnapshotEntry(string Key, string FileName, string Content)
{
    /// <summary>
    /// The object the snapshot belongs to, as its header's first line records it (<see cref="SnapshotOwner"/>);
    /// null for entries without an owner (then any file of the same name and stem is theirs).
    /// </summary>
    public string? Owner { get; init; }
}
