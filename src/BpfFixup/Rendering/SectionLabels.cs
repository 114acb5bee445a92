// SPDX-License-Identifier: MIT
using BpfFixup.Elf;
using BpfFixup.Model;

namespace BpfFixup.Rendering;

/// <summary>
/// The symbols llvm-objdump prints as labels in a code section: defined FUNC and NOTYPE symbols (inline-asm
/// labels such as <c>l0_0</c> are NOTYPE LOCAL symbols, as llvm-objdump-19 -t shows) that start at an instruction slot. Used
/// for the <c>0000000000000068 &lt;l0_0&gt;:</c> headers and the <c>&lt;sym+0xNN&gt;</c> annotation of jumps.
/// </summary>
internal sealed class SectionLabels
{
    private readonly int[] slots;
    private readonly string[] names;

    private SectionLabels(int[] slots, string[] names)
    {
        this.slots = slots;
        this.names = names;
    }

    /// <summary>Collects the labels of <paramref name="section"/>, ordered by slot then symbol index.</summary>
    public static SectionLabels For(BpfObject obj, CodeSection section)
    {
        // Counted, then filled: two arrays per section and no list (a listing builds this for each of thousands of sections).
        var symbols = obj.Elf.Symbols;
        var inSection = obj.SymbolsInSection(section.Elf.Index);
        int count = 0;
        for (int k = 0; k < inSection.Count; k++)
        {
            count += IsLabel(symbols[inSection[k]], section) ? 1 : 0;
        }

        var keys = new long[count];
        var names = new string[count];
        for (int k = 0, n = 0; k < inSection.Count; k++)
        {
            int i = inSection[k];
            var s = symbols[i];
            if (IsLabel(s, section))
            {
                keys[n] = ((long)(s.Value / 8) << 32) | (uint)i; // by slot, then symbol index: unique keys
                names[n++] = s.Name;
            }
        }

        Array.Sort(keys, names);
        var slots = new int[count];
        for (int i = 0; i < count; i++)
        {
            slots[i] = (int)(keys[i] >> 32);
        }

        return new SectionLabels(slots, names);
    }

    private static bool IsLabel(in ElfSymbol s, CodeSection section) =>
        s.Type is ElfConstants.SttFunc or ElfConstants.SttNoType
        && s.Name.Length != 0 && s.Value % 8 == 0 && s.Value / 8 < (ulong)section.SlotCount;

    /// <summary>Number of labels.</summary>
    public int Count => slots.Length;

    /// <summary>The slot of label <paramref name="i"/>.</summary>
    public int SlotOf(int i) => slots[i];

    /// <summary>The name of label <paramref name="i"/>.</summary>
    public string NameOf(int i) => names[i];

    /// <summary>The first label index whose slot is at least <paramref name="slot"/>.</summary>
    public int FirstAtOrAfter(int slot)
    {
        int lo = 0, hi = slots.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (slots[mid] < slot)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>The label at or before <paramref name="slot"/> (the first of equals), or -1.</summary>
    public int Nearest(int slot)
    {
        int after = FirstAtOrAfter(slot + 1);
        if (after == 0)
        {
            return -1;
        }

        int at = after - 1;
        while (at > 0 && slots[at - 1] == slots[at])
        {
            at--;
        }

        return at;
    }
}
