// SPDX-License-Identifier: MIT
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>
/// R1 at each session-kfunc call site while one program is analysed, by the site's position in
/// <see cref="BpfObject.SessionCallSites"/> (sorted by section, then instruction): an array lent from program to
/// program, with the positions one program touched, instead of a map keyed by (section, instruction) probed at every
/// call and sorted at the end.
/// </summary>
internal sealed class SiteObservations
{
    private readonly IReadOnlyList<SessionCallSite> sites;
    private readonly int[] insns;
    private readonly Dictionary<CodeSection, (int Start, int End)> ranges = [];
    private readonly RegValue[] r1;
    private readonly bool[] seen;
    private readonly List<int> touched = [];

    /// <summary>An empty table for the call sites of <paramref name="obj"/>.</summary>
    public SiteObservations(BpfObject obj)
    {
        sites = obj.SessionCallSites;
        insns = new int[sites.Count];
        for (int i = 0; i < sites.Count; i++)
        {
            var s = sites[i];
            insns[i] = s.Insn;
            ranges[s.Section] = ranges.TryGetValue(s.Section, out var r) ? (r.Start, i + 1) : (i, i + 1);
        }

        r1 = new RegValue[sites.Count];
        seen = new bool[sites.Count];
    }

    /// <summary>The positions of <paramref name="section"/>'s call sites, [Start, End).</summary>
    public (int Start, int End) RangeOf(CodeSection section) => ranges.GetValueOrDefault(section);

    /// <summary>Joins <paramref name="value"/> into R1 of the call site at <paramref name="insn"/>, among <paramref name="range"/>.</summary>
    public void Observe((int Start, int End) range, int insn, RegValue value)
    {
        int at = Array.BinarySearch(insns, range.Start, range.End - range.Start, insn);
        if (at < 0)
        {
            throw new InvalidOperationException($"no session call site at instruction {insn}");
        }

        if (seen[at])
        {
            r1[at] = RegValue.Join(r1[at], value);
        }
        else
        {
            seen[at] = true;
            r1[at] = value;
            touched.Add(at);
        }
    }

    /// <summary>
    /// The sites observed since the last call, in <see cref="BpfObject.SessionCallSites"/> order, with R1, into
    /// <paramref name="result"/> (cleared first: one list serves every program); the table is empty after.
    /// </summary>
    public List<(SessionCallSite Site, RegValue R1)> Drain(List<(SessionCallSite Site, RegValue R1)> result)
    {
        touched.Sort();
        result.Clear();
        foreach (int at in touched)
        {
            result.Add((sites[at], r1[at]));
            seen[at] = false;
            r1[at] = default;
        }

        touched.Clear();
        return result;
    }
}
