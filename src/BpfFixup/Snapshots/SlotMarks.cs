// SPDX-License-Identifier: MIT
using BpfFixup.Rewrite;

namespace BpfFixup.Snapshots;

/// <summary>
/// The inlined sites of one code section in slot order, as two arrays: a walk through a function in order reads them
/// with a cursor (<see cref="LowerBound"/>, then <see cref="SlotAt"/>), not one dictionary probe per instruction, and
/// any other lookup is a binary search.
/// </summary>
internal sealed class SlotMarks
{
    private readonly int[] slots;
    private readonly InlinedSite[] sites;

    /// <summary>The sites of <paramref name="bySlot"/> (one per slot) in slot order.</summary>
    public SlotMarks(Dictionary<int, InlinedSite> bySlot)
    {
        slots = [.. bySlot.Keys];
        sites = [.. bySlot.Values];
        Array.Sort(slots, sites);
    }

    /// <summary>How many sites there are.</summary>
    public int Count => slots.Length;

    /// <summary>The slot of the k-th site in slot order.</summary>
    public int SlotAt(int k) => slots[k];

    /// <summary>The k-th site in slot order.</summary>
    public InlinedSite SiteAt(int k) => sites[k];

    /// <summary>The first k whose slot is at least <paramref name="slot"/> (<see cref="Count"/> when none is).</summary>
    public int LowerBound(int slot)
    {
        int k = Array.BinarySearch(slots, slot);
        return k >= 0 ? k : ~k;
    }

    /// <summary>The site at <paramref name="slot"/>, if there is one.</summary>
    public bool TryGet(int slot, out InlinedSite site)
    {
        int k = Array.BinarySearch(slots, slot);
        site = k >= 0 ? sites[k] : default!;
        return k >= 0;
    }
}
