// SPDX-License-Identifier: MIT
using BpfFixup.Diff;
using BpfFixup.Model;
using BpfFixup.Rewrite;

namespace BpfFixup.Snapshots;

/// <summary>Listing diffs of objects as programs, optionally after the fixup.</summary>
public static class FixupDiff
{
    /// <summary>What the fixup does to one object: its listings before against after.</summary>
    /// <param name="outcome">The fixup of the object.</param>
    /// <param name="program">Only the program of this name; null for all.</param>
    /// <param name="context">Context lines per hunk.</param>
    /// <param name="hunks">False to tell equal from different only (see <see cref="ListingDiff.Compare(string, IReadOnlyList{ProgramListing}, string, IReadOnlyList{ProgramListing}, int, bool)"/>).</param>
    /// <param name="lineNumbers">Keep source line numbers in the source comments (off by default, as in snapshots).</param>
    /// <param name="sections">Only the programs in these ELF sections (llvm-objdump's <c>-j</c>); null for all.</param>
    public static ListingDiffResult OfFixup(IFixupOutcome outcome, string? program, int context, bool hunks = true, bool lineNumbers = false, IReadOnlyCollection<string>? sections = null)
    {
        var original = outcome.Original ?? throw new ArgumentException("the object did not load", nameof(outcome));
        // Both sides are one file: its name alone identifies it (a two-object diff shows the paths as given).
        string name = Path.GetFileName(original.FileName);
        var cache = new ListingCache();
        var functionsBefore = new List<IReadOnlyList<RenderedFunction>>();
        var before = ProgramListingRenderer.Render(original, null, true, lineNumbers, FixupAlignment.Anchor, functionsBefore, cache);
        if (outcome.Patched is not { } patched)
        {
            var same = Filter(before, program, sections);
            return ListingDiff.Compare(name, same, name + " (after fixup)", same, context);
        }

        // The alignment comes from the rewrite's map (issue 11), not from a search. Without hunks (equality only), or
        // with a map that does not fit (it always should), the listings are compared as any two are.
        var anchorOf = hunks ? FixupAlignment.AnchorsAfter(patched, outcome.Rewrite?.Map) : null;
        if (anchorOf is null)
        {
            return ListingDiff.Compare(name, Filter(before, program, sections), name + " (after fixup)", Listings(patched, outcome.Rewrite?.Inlined, program, lineNumbers, sections, cache), context, hunks);
        }

        var functionsAfter = new List<IReadOnlyList<RenderedFunction>>();
        var after = ProgramListingRenderer.Render(patched, outcome.Rewrite?.Inlined, true, lineNumbers, anchorOf, functionsAfter, cache);
        var functions = new Dictionary<ProgramListing, IReadOnlyList<RenderedFunction>>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < before.Count; i++)
        {
            functions[before[i]] = functionsBefore[i];
        }

        for (int i = 0; i < after.Count; i++)
        {
            functions[after[i]] = functionsAfter[i];
        }

        var known = new GapScripts();
        var pairs = new PairScripts();
        return ListingDiff.Compare(name, Filter(before, program, sections), name + " (after fixup)", Filter(after, program, sections), context, hunks: true,
            (a, b) => FixupAlignment.Align(a.Lines, functions[a], b.Lines, functions[b], known, pairs));
    }

    /// <summary>
    /// Listings of <paramref name="obj"/> (marking <paramref name="inlined"/> sites), filtered to one program when asked;
    /// source comments with their line numbers when <paramref name="lineNumbers"/>; only those in <paramref name="sections"/> when given.
    /// </summary>
    /// <param name="obj">The object.</param>
    /// <param name="inlined">Inlined sites to mark, or null.</param>
    /// <param name="program">Only the program of this name; null for all.</param>
    /// <param name="lineNumbers">Keep source line numbers in the source comments.</param>
    /// <param name="sections">Only the programs in these ELF sections; null for all.</param>
    /// <param name="cache">Shared by the listings of one comparison (both sides of a two-object diff); null for none.</param>
    public static IReadOnlyList<ProgramListing> Listings(BpfObject obj, IReadOnlyCollection<InlinedSite>? inlined, string? program, bool lineNumbers = false, IReadOnlyCollection<string>? sections = null, ListingCache? cache = null) =>
        Filter(ProgramListingRenderer.Render(obj, inlined, lineNumbers: lineNumbers, cache: cache), program, sections);

    private static IReadOnlyList<ProgramListing> Filter(IReadOnlyList<ProgramListing> listings, string? program, IReadOnlyCollection<string>? sections) =>
        program is null && sections is null ? listings
            : listings.Where(l => (program is null || l.Name == program) && (sections is null || sections.Contains(l.Section))).ToList();
}
