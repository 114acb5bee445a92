// SPDX-License-Identifier: MIT
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>
/// The session-kfunc call sites of one code section, walked in instruction order: the rewrite visits every
/// instruction once in order (and each copied function's range once more), so a cursor answers "is this a site"
/// in constant time instead of a search per instruction.
/// </summary>
internal sealed class SessionSiteCursor
{
    private readonly IReadOnlyList<SessionCallSite> sites;
    private readonly int first; // the section's sites are sites[first .. limit), in instruction order
    private readonly int limit;
    private int next;

    private SessionSiteCursor(IReadOnlyList<SessionCallSite> sites, int first, int limit)
    {
        this.sites = sites;
        this.first = first;
        this.limit = limit;
        next = first;
    }

    /// <summary>One cursor per code section of <paramref name="obj"/> that has sites.</summary>
    /// <remarks>
    /// <see cref="BpfObject.SessionCallSites"/> lists the sites in section and instruction order, so each section's
    /// are a range of that list (no copy); only when they are not is a section's list copied and sorted.
    /// </remarks>
    public static Dictionary<CodeSection, SessionSiteCursor> For(BpfObject obj)
    {
        var all = obj.SessionCallSites;
        var cursors = new Dictionary<CodeSection, SessionSiteCursor>(obj.CodeSections.Count);
        for (int start = 0; start < all.Count;)
        {
            var section = all[start].Section;
            int stop = start + 1;
            bool ordered = true;
            while (stop < all.Count && all[stop].Section == section)
            {
                ordered &= all[stop - 1].Insn < all[stop].Insn;
                stop++;
            }

            if (!ordered || cursors.ContainsKey(section))
            {
                return Sorted(all);
            }

            cursors[section] = new SessionSiteCursor(all, start, stop);
            start = stop;
        }

        return cursors;
    }

    private static Dictionary<CodeSection, SessionSiteCursor> Sorted(IReadOnlyList<SessionCallSite> all)
    {
        var cursors = new Dictionary<CodeSection, SessionSiteCursor>();
        foreach (var group in all.GroupBy(s => s.Section))
        {
            var list = group.OrderBy(s => s.Insn).ToList();
            cursors[group.Key] = new SessionSiteCursor(list, 0, list.Count);
        }

        return cursors;
    }

    /// <summary>The number of sites in the section.</summary>
    public int Count => limit - first;

    /// <summary>The number of sites at instructions <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive).</summary>
    public int CountIn(int start, int end) => LowerBound(end) - LowerBound(start);

    /// <summary>Moves the cursor to the first site at or after instruction <paramref name="insn"/>.</summary>
    public void Seek(int insn) => next = LowerBound(insn);

    private int LowerBound(int insn)
    {
        int lo = first, hi = limit;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sites[mid].Insn < insn) { lo = mid + 1; } else { hi = mid; }
        }

        return lo;
    }

    /// <summary>The instruction of the first site at or after <paramref name="insn"/>, or <see cref="int.MaxValue"/>; in rising order as <see cref="At"/>.</summary>
    public int NextFrom(int insn)
    {
        while (next < limit && sites[next].Insn < insn)
        {
            next++;
        }

        return next < limit ? sites[next].Insn : int.MaxValue;
    }

    /// <summary>The site at instruction <paramref name="insn"/>, or null; calls must ask in rising order since the last <see cref="Seek"/>.</summary>
    public SessionCallSite? At(int insn) => NextFrom(insn) == insn ? sites[next] : null;
}
