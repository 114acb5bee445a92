// SPDX-License-Identifier: MIT
namespace BpfFixup.Snapshots;

/// <summary>One snapshot a run produces.</summary>
public sealed record SnapshotEntry
{
    private readonly string? content;
    private readonly SnapshotListing? listing;

    /// <summary>An entry of the text <paramref name="content"/>.</summary>
    /// <param name="key">Identity used in reports and collision messages.</param>
    /// <param name="fileName">Verified file name.</param>
    /// <param name="content">The text.</param>
    public SnapshotEntry(string key, string fileName, string content)
    {
        Key = key;
        FileName = fileName;
        this.content = content;
    }

    /// <summary>An entry whose text is <paramref name="listing"/>'s, built each time <see cref="Content"/> is read.</summary>
    internal SnapshotEntry(string key, string fileName, SnapshotListing listing)
    {
        Key = key;
        FileName = fileName;
        this.listing = listing;
    }

    /// <summary>Identity used in reports and collision messages, e.g. <c>x.o:fsession/foo</c>.</summary>
    public string Key { get; init; }

    /// <summary>
    /// Verified file name (a single safe component ending in <c>.verified.txt</c>), normally from
    /// <see cref="SnapshotNaming.VerifiedFileName"/>.
    /// </summary>
    public string FileName { get; init; }

    /// <summary>The text; normalised by <see cref="SnapshotText"/> before comparing and writing.</summary>
    public string Content => content ?? listing!.Text();

    /// <summary>The listing the text is made of, when the entry was made from one (compared without building the text).</summary>
    internal SnapshotListing? Listing => listing;

    /// <summary>
    /// The object the snapshot belongs to, as its header's first line records it (<see cref="SnapshotOwner"/>);
    /// null for entries without an owner (then any file of the same name and stem is theirs).
    /// </summary>
    public string? Owner { get; init; }
}
