// SPDX-License-Identifier: MIT
using BpfFixup.Diff;
using BpfFixup.Model;
using BpfFixup.Rewrite;

namespace BpfFixup.Snapshots;

/// <summary>Listing diffs of objects as programs, optionally after the fixup.</summary>
public static class FixupDiff
{
    /// <summary>What the fixup does to one object: its listings before against after.</summary>
    public static ListingDiffResult OfFixup(FixupPipeline.Outcome outcome, string? program, int context, bool hunks = true)
    {
        var original = outcome.Original ?? throw new ArgumentException("the object did not load", nameof(outcome));
        var before = Filter(ProgramListingRenderer.Render(original), program);
        var after = outcome.Patched is { } p ? Filter(ProgramListingRenderer.Render(p, outcome.Rewrite?.Inlined), program) : before;
        // Both sides are one file: its name alone identifies it (a two-object diff shows the paths as given).
        string name = Path.GetFileName(original.FileName);
        return ListingDiff.Compare(name, before, name + " (after fixup)", after, context, hunks);
    }

    /// <summary>Listings of <paramref name="obj"/> (marking <paramref name="inlined"/> sites), filtered to one program when asked.</summary>
    public static IReadOnlyList<ProgramListing> Listings(BpfObject obj, IReadOnlyCollection<InlinedSite>? inlined, string? program) =>
        Filter(ProgramListingRenderer.Render(obj, inlined), program);

    private static IReadOnlyList<ProgramListing> Filter(IReadOnlyList<ProgramListing> listings, string? program) =>
        program is null ? listings : listings.Where(l => l.Name == program).ToList();
}
