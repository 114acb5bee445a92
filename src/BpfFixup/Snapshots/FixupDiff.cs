// SPDX-License-Identifier: MIT
using BpfFixup.Diff;
using BpfFixup.Model;
using BpfFixup.Rewrite;

namespace BpfFixup.Snapshots;

/// <summary>Listing diffs of objects as programs, optionally after the fixup.</summary>
public static class FixupDiff
{
    /// <summary>What the fixup does to one object: its listings before against after.</summary>
    public static ListingDiffResult OfFixup(IFixupOutcome outcome, string? program, int context, bool hunks = true)
    {
        var original = outcome.Original ?? throw new ArgumentException("the object did not load", nameof(outcome));
        // Both sides are one file: its name alone identifies it (a two-object diff shows the paths as given).
        string name = Path.GetFileName(original.FileName);
        var anchorsBefore = new List<IReadOnlyList<long[]>>();
        var before = ProgramListingRenderer.Render(original, null, true, false, FixupAlignment.Anchor, anchorsBefore);
        if (outcome.Patched is not { } patched)
        {
            var same = Filter(before, program);
            return ListingDiff.Compare(name, same, name + " (after fixup)", same, context);
        }

        if (!hunks)
        {
            return ListingDiff.Compare(name, Filter(before, program), name + " (after fixup)", Filter(ProgramListingRenderer.Render(patched, outcome.Rewrite?.Inlined), program), context, hunks: false);
        }

        // The alignment comes from the rewrite's map (issue 11), not from a search; a map that does not fit (it always
        // should) falls back to the search.
        if (FixupAlignment.AnchorsAfter(patched, outcome.Rewrite?.Map) is not { } anchorOf)
        {
            return ListingDiff.Compare(name, Filter(before, program), name + " (after fixup)", Filter(ProgramListingRenderer.Render(patched, outcome.Rewrite?.Inlined), program), context);
        }

        var anchorsAfter = new List<IReadOnlyList<long[]>>();
        var after = ProgramListingRenderer.Render(patched, outcome.Rewrite?.Inlined, true, false, anchorOf, anchorsAfter);
        var anchors = new Dictionary<ProgramListing, IReadOnlyList<long[]>>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < before.Count; i++)
        {
            anchors[before[i]] = anchorsBefore[i];
        }

        for (int i = 0; i < after.Count; i++)
        {
            anchors[after[i]] = anchorsAfter[i];
        }

        return ListingDiff.Compare(name, Filter(before, program), name + " (after fixup)", Filter(after, program), context, hunks: true,
            (a, b) => FixupAlignment.Align(a.Lines, anchors[a], b.Lines, anchors[b]));
    }

    /// <summary>Listings of <paramref name="obj"/> (marking <paramref name="inlined"/> sites), filtered to one program when asked.</summary>
    public static IReadOnlyList<ProgramListing> Listings(BpfObject obj, IReadOnlyCollection<InlinedSite>? inlined, string? program) =>
        Filter(ProgramListingRenderer.Render(obj, inlined), program);

    private static IReadOnlyList<ProgramListing> Filter(IReadOnlyList<ProgramListing> listings, string? program) =>
        program is null ? listings : listings.Where(l => l.Name == program).ToList();
}
