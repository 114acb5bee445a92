// SPDX-License-Identifier: MIT
using BpfFixup.Elf;

namespace BpfFixup.Rewrite;

/// <summary>
/// Writes the final symbol table: locals, the specialised copies' new LOCAL FUNC symbols, then globals
/// (gABI: sh_info is the first non-local), without the symbols of dropped sections; then renumbers every
/// reference to a symbol index: r_info of every SHT_REL section (.rel.BTF and .rel.BTF.ext included) and
/// .llvm_addrsig. The libbpf linker writes sh_info 0 with locals and globals mixed (as llvm-readelf-19 -s shows of bpftool gen object output):
/// there the copies go last and sh_info stays 0.
/// </summary>
internal static class SymbolTableEditor
{
    /// <summary>Replaces the table; returns a problem description, or null.</summary>
    public static string? Replace(ElfFile elf, ElfSymbol[] symbols, List<ElfSymbol> added, IReadOnlySet<int> drop)
    {
        uint firstGlobal = elf.SymbolTable!.Info;
        bool appendAtEnd = firstGlobal == 0;
        if (appendAtEnd)
        {
            firstGlobal = (uint)symbols.Length;
        }

        var final = new List<ElfSymbol>(symbols.Length + added.Count);
        var map = new int[symbols.Length];
        for (int i = 0; i < symbols.Length; i++)
        {
            if (i == firstGlobal)
            {
                final.AddRange(added);
            }

            if (symbols[i].HasSection && drop.Contains(symbols[i].SectionIndex))
            {
                map[i] = -1;
                continue;
            }

            map[i] = final.Count;
            final.Add(symbols[i]);
        }

        if (firstGlobal >= symbols.Length)
        {
            final.AddRange(added);
        }

        int removedLocals = map.Take((int)firstGlobal).Count(m => m < 0);
        elf.SetSymbols([.. final], appendAtEnd ? 0 : (uint)(firstGlobal + added.Count - removedLocals));
        if (added.Count == 0 && drop.Count == 0)
        {
            return null; // no symbol moved or went: every index stays (map is the identity), nothing to renumber
        }

        foreach (var rel in elf.RelocationSections.ToList())
        {
            if (drop.Contains(rel.Index))
            {
                continue;
            }

            var entries = elf.GetRelocations(rel);
            var remapped = new ElfRelocation[entries.Count];
            for (int i = 0; i < entries.Count; i++)
            {
                int m = map[entries[i].SymbolIndex];
                if (m < 0)
                {
                    return $"relocation #{i} of {rel.Name} refers to a symbol in a dropped DWARF section";
                }

                remapped[i] = entries[i] with { SymbolIndex = (uint)m };
            }

            elf.SetRelocations(rel, remapped);
        }

        RemapAddrsig(elf, map);
        return null;
    }

    private static void RemapAddrsig(ElfFile elf, int[] map)
    {
        var addrsig = elf.Sections.FirstOrDefault(s => s.Type == ElfConstants.ShtLlvmAddrsig);
        if (addrsig is null)
        {
            return;
        }

        // SHT_LLVM_ADDRSIG: a sequence of ULEB128 symbol indices (llvm/docs/Extensions.rst).
        var data = addrsig.Data;
        var output = new List<byte>(data.Length);
        int at = 0;
        while (at < data.Length)
        {
            ulong value = 0;
            int shift = 0;
            byte b;
            do
            {
                b = data[at++];
                value |= (ulong)(b & 0x7f) << shift;
                shift += 7;
            }
            while ((b & 0x80) != 0 && at < data.Length && shift < 64);

            if (value < (ulong)map.Length && map[value] >= 0)
            {
                ulong v = (ulong)map[value];
                do
                {
                    byte o = (byte)(v & 0x7f);
                    v >>= 7;
                    output.Add(v != 0 ? (byte)(o | 0x80) : o);
                }
                while (v != 0);
            }
        }

        addrsig.SetData([.. output]);
    }
}
