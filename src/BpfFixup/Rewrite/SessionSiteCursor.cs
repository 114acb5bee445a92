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
    private readonly List<SessionCallSite> sites;
    private int next;

    private SessionSiteCursor(List<SessionCallSite> sites) => this.sites = sites;

    /// <summary>One cursor per code section of <paramref name="obj"/> that has sites.</summary>
    public static Dictionary<CodeSection, SessionSiteCursor> For(BpfObject obj)
    {
        var bySection = new Dictionary<CodeSection, List<SessionCallSite>>();
        foreach (var site in obj.SessionCallSites)
        {
            if (!bySection.TryGetValue(site.Section, out var list))
            {
                list = [];
                bySection[site.Section] = list;
            }

            list.Add(site);
        }

        var cursors = new Dictionary<CodeSection, SessionSiteCursor>(bySection.Count);
        foreach (var (section, list) in bySection)
        {
            list.Sort((a, b) => a.Insn.CompareTo(b.Insn));
            cursors[section] = new SessionSiteCursor(list);
        }

        return cursors;
    }

    /// <summary>The number of sites in the section.</summary>
    public int Count => sites.Count;

    /// <summary>The number of sites at instructions <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive).</summary>
    public int CountIn(int start, int end) => LowerBound(end) - LowerBound(start);

    /// <summary>Moves the cursor to the first site at or after instruction <paramref name="insn"/>.</summary>
    public void Seek(int insn) => next = LowerBound(insn);

    private int LowerBound(int insn)
    {
        int lo = 0, hi = sites.Count;
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
        while (next < sites.Count && sites[next].Insn < insn)
        {
            next++;
        }

        return next < sites.Count ? sites[next].Insn : int.MaxValue;
    }

    /// <summary>The site at instruction <paramref name="insn"/>, or null; calls must ask in rising order since the last <see cref="Seek"/>.</summary>
    public SessionCallSite? At(int insn) => NextFrom(insn) == insn ? sites[next] : null;
}
