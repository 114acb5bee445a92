// SPDX-License-Identifier: MIT
using BpfFixup.Rewrite;

namespace BpfFixup.Snapshots;

/// <summary>Turns the fixup of one object into snapshot entries, one per program.</summary>
public static class ObjectSnapshots
{
    /// <summary>
    /// One entry per program of the patched object (<c>&lt;object stem&gt;.&lt;program&gt;.verified.txt</c>), or null when
    /// the object was rejected (nothing was patched, so there is nothing the kernel would run).
    /// </summary>
    /// <param name="outcome">The fixup of the object.</param>
    /// <param name="abi">The ABI name recorded in the header.</param>
    /// <param name="owner">The object as the header records it (<see cref="SnapshotOwner.Of"/>); default its file name.</param>
    /// <param name="lineNumbers">Keep source line numbers in the comments (off by default: they move with unrelated edits).</param>
    public static IReadOnlyList<SnapshotEntry>? Entries(IFixupOutcome outcome, string abi, string? owner = null, bool lineNumbers = false)
    {
        if (outcome.Patched is not { } patched || outcome.Rewrite is not { } rewrite)
        {
            return null;
        }

        var listings = ProgramListingRenderer.Render(patched, rewrite.Inlined, lineNumbers: lineNumbers);
        var entries = new List<SnapshotEntry>(listings.Count);
        // The renderer's listings share one line cache: their functions' UTF-8 is compared from it.
        var bytes = listings.Count > 0 && listings[0].IdSpace is ListingLineCache cache
            ? new FunctionBytes(cache, listings.Select(l => l.SegmentIds ?? []))
            : null;
        for (int i = 0; i < listings.Count; i++)
        {
            var program = patched.Programs[i];
            var text = ProgramListingRenderer.Snapshot(patched, listings[i], program, abi, owner, bytes);
            entries.Add(new SnapshotEntry($"{patched.FileName}:{listings[i].Key}", SnapshotNaming.VerifiedFileName(patched.FileName, program.Name), text)
            {
                Owner = owner,
            });
        }

        return entries;
    }
}
