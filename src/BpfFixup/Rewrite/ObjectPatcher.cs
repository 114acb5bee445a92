// SPDX-License-Identifier: MIT
using BpfFixup.Btf;
using BpfFixup.Diagnostics;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>
/// Writes the rebuilt sections into a fresh copy of the ELF file and updates what points into them:
/// relocations, symbols, .BTF.ext and .rel.BTF.ext, DWARF (dropped or kept stale), the symbol table
/// (copies' symbols inserted among the locals) and every symbol index that moves with it.
/// </summary>
internal sealed class ObjectPatcher(BpfObject obj, Dictionary<CodeSection, SectionRebuild> rebuilds, RewritePlan plan, RewriteOptions options, List<Diagnostic> diagnostics)
{
    /// <summary>A symbol's value after the rewrite (byte offset in its section).</summary>
    public static ulong MapSymbolValue(BpfObject obj, Dictionary<CodeSection, SectionRebuild> rebuilds, ElfSymbol sym) =>
        MapOffset(obj, rebuilds, sym, sym.Value) ?? sym.Value;

    private static ulong? MapOffset(BpfObject obj, Dictionary<CodeSection, SectionRebuild> rebuilds, ElfSymbol sym, ulong bytes)
    {
        if (!sym.HasSection || sym.Type == ElfConstants.SttSection || obj.SectionByIndex(sym.SectionIndex) is not { } code
            || !rebuilds.TryGetValue(code, out var r) || !r.Changed || bytes % 8 != 0)
        {
            return null;
        }

        int insn = code.InsnAtSlot((long)(bytes / 8));
        return insn < 0 ? null : (ulong)r.OriginalSlot[insn] * 8;
    }

    public byte[]? Write(out List<(string Original, string Copy)> copies, out List<string> dropped)
    {
        copies = [];
        dropped = [];
        var bag = new DiagnosticBag();
        if (!ElfReader.TryRead(obj.Elf.Original, obj.FileName, bag, out var elf) || elf is null)
        {
            diagnostics.AddRange(bag.Items);
            return null;
        }

        // 1. Code and relocations (symbol indices still the old ones).
        foreach (var r in rebuilds.Values.Where(r => r.Changed))
        {
            var insns = r.Output.Select(o => o.Insn).ToArray();
            elf.Sections[r.Section.Elf.Index].SetData(InstructionEncoder.EncodeAll(insns, elf.ByteOrder));
            foreach (var rel in elf.RelocationSectionsFor(elf.Sections[r.Section.Elf.Index]).ToList())
            {
                var entries = r.Output
                    .Where(o => o.Relocation is not null && o.Relocation.RelSection.Index == rel.Index)
                    .Select(o => new ElfRelocation((ulong)o.Slot * 8, (uint)o.RelocationSymbol, o.Relocation!.Raw.Type))
                    .ToArray();
                elf.SetRelocations(rel, entries);
            }
        }

        // 2. Symbols in moved code; the copies' new LOCAL FUNC symbols.
        var symbols = elf.Symbols.ToArray();
        for (int i = 0; i < symbols.Length; i++)
        {
            var s = symbols[i];
            if (MapOffset(obj, rebuilds, s, s.Value) is not ulong start)
            {
                continue;
            }

            ulong size = s.Size;
            if (size > 0 && MapOffset(obj, rebuilds, s, s.Value + s.Size) is ulong end)
            {
                size = end - start;
            }

            symbols[i] = s with { Value = start, Size = size };
        }

        var added = new List<ElfSymbol>();
        var strtab = elf.Sections[(int)elf.SymbolTable!.Link];
        var names = new HashSet<string>(symbols.Select(s => s.Name), StringComparer.Ordinal);
        foreach (var f in plan.Specialised)
        {
            var r = rebuilds[f.Section];
            var slots = r.CopySlot[f];
            string name = f.Name + "__fsession";
            for (int n = 2; !names.Add(name); n++)
            {
                name = $"{f.Name}__fsession{n}";
            }

            added.Add(new ElfSymbol
            {
                NameOffset = elf.InternString(strtab, name),
                Name = name,
                Info = ElfSymbol.MakeInfo(ElfConstants.StbLocal, ElfConstants.SttFunc),
                SectionIndex = (ushort)f.Section.Elf.Index,
                Value = (ulong)slots[0] * 8,
                Size = (ulong)(slots[f.Length] - slots[0]) * 8,
            });
            copies.Add((f.Name, name));
        }

        // 3. .BTF.ext records follow their instructions; copies get copies of their records.
        if (!PatchBtfExt(elf))
        {
            return null;
        }

        // 4. DWARF describes the old code: drop it (and its relocations) unless asked to keep it.
        var drop = new HashSet<int>();
        bool codeMoved = rebuilds.Values.Any(r => r.Changed);
        var debug = codeMoved ? elf.Sections.Where(s => s.Name.StartsWith(".debug_", StringComparison.Ordinal)).ToList() : [];
        if (debug.Count > 0)
        {
            if (options.KeepDebug)
            {
                diagnostics.Add(new Diagnostic
                {
                    Id = DiagnosticIds.DebugStale,
                    Severity = Severity.Warning,
                    Message = $"kept {debug.Count} DWARF section(s) although code moved: their addresses are stale",
                    File = obj.FileName,
                });
            }
            else
            {
                foreach (var s in debug)
                {
                    drop.Add(s.Index);
                }

                foreach (var rel in elf.RelocationSections)
                {
                    if (drop.Contains((int)rel.Info))
                    {
                        drop.Add(rel.Index);
                    }
                }

                dropped.AddRange(elf.Sections.Where(s => drop.Contains(s.Index)).Select(s => s.Name));
                diagnostics.Add(new Diagnostic
                {
                    Id = DiagnosticIds.DebugDropped,
                    Severity = Severity.Note,
                    Message = $"dropped {dropped.Count} DWARF section(s) describing moved code ({string.Join(", ", dropped)}); .BTF and .BTF.ext are kept and updated",
                    File = obj.FileName,
                });
            }
        }

        // 5. Final symbol table: locals, the copies, then globals; renumber every reference. The libbpf linker
        //    writes sh_info 0 with locals and globals mixed (bpf-object-facts §3.2): there the copies go last.
        uint firstGlobal = elf.SymbolTable.Info;
        bool appendAtEnd = firstGlobal == 0;
        if (appendAtEnd)
        {
            firstGlobal = (uint)symbols.Length;
        }

        var final = new List<ElfSymbol>();
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
                    diagnostics.Add(new Diagnostic { Id = DiagnosticIds.BadRelocation, Severity = Severity.Error, Message = $"relocation #{i} of {rel.Name} refers to a symbol in a dropped DWARF section", File = obj.FileName });
                    return null;
                }

                remapped[i] = entries[i] with { SymbolIndex = (uint)m };
            }

            if (added.Count > 0 || drop.Count > 0)
            {
                elf.SetRelocations(rel, remapped);
            }
        }

        if (added.Count > 0 || drop.Count > 0)
        {
            RemapAddrsig(elf, map);
        }

        elf.RemoveSections(drop);
        return ElfWriter.Write(elf);
    }

    private bool PatchBtfExt(ElfFile elf)
    {
        var section = elf.FindSection(".BTF.ext");
        if (section is null || obj.Btf is null || obj.BtfExt is null)
        {
            return true;
        }

        var ext = BtfExt.Parse(section.Data, elf.ByteOrder, obj.Btf);
        var subsections = new List<BtfExtSubsection> { ext.FuncInfo, ext.LineInfo };
        if (ext.CoreRelo is not null)
        {
            subsections.Add(ext.CoreRelo);
        }

        bool changed = false;
        foreach (var sub in subsections)
        {
            foreach (var group in sub.Sections)
            {
                var code = obj.CodeSections.FirstOrDefault(c => c.Name == group.SectionName);
                if (code is null || !rebuilds.TryGetValue(code, out var r) || !r.Changed)
                {
                    continue;
                }

                var originals = group.Records.ToList();
                foreach (var rec in originals)
                {
                    int insn = rec.InsnOff % 8 == 0 ? code.InsnAtSlot(rec.InsnOff / 8) : -1;
                    if (insn < 0 || insn >= code.Instructions.Length)
                    {
                        diagnostics.Add(new Diagnostic
                        {
                            Id = DiagnosticIds.BtfExtOutOfBounds,
                            Severity = Severity.Error,
                            Message = $".BTF.ext record for {group.SectionName} has insn_off 0x{rec.InsnOff:x}, which is not the start of an instruction",
                            File = obj.FileName,
                            Section = group.SectionName,
                        });
                        return false;
                    }

                    rec.InsnOff = (uint)r.OriginalSlot[insn] * 8;
                }

                foreach (var f in plan.Specialised.Where(f => f.Section == code))
                {
                    var copyMap = r.CopySlot[f];
                    foreach (var (rec, oldInsn) in OriginalRecordsOf(code, f, originals))
                    {
                        group.Records.Add(rec.CloneAt((uint)copyMap[oldInsn - f.StartInsn] * 8));
                    }
                }

                changed = true;
            }
        }

        if (!changed)
        {
            return true;
        }

        var positions = new Dictionary<int, int>();
        var addedFields = new List<(int NewFieldOffset, string SectionName)>();
        section.SetData(ext.Write(elf.ByteOrder, positions, addedFields));
        var rel = elf.RelocationSections.FirstOrDefault(s => s.Info == (uint)section.Index);
        if (rel is not null)
        {
            var entries = elf.GetRelocations(rel).Select(e => positions.TryGetValue((int)e.Offset, out var p) ? e with { Offset = (ulong)p } : e).ToList();
            foreach (var (offset, name) in addedFields)
            {
                var code = obj.CodeSections.First(c => c.Name == name);
                int sym = -1;
                for (int i = 0; i < elf.Symbols.Count; i++)
                {
                    if (elf.Symbols[i].Type == ElfConstants.SttSection && elf.Symbols[i].SectionIndex == code.Elf.Index)
                    {
                        sym = i;
                        break;
                    }
                }

                if (sym >= 0)
                {
                    entries.Add(new ElfRelocation((ulong)offset, (uint)sym, (uint)BpfRelocationType.R64_NoDyld32));
                }
            }

            elf.SetRelocations(rel, [.. entries.OrderBy(e => e.Offset)]);
        }

        return true;
    }

    /// <summary>Records that fell inside <paramref name="f"/> before the rewrite, with their instruction.</summary>
    private IEnumerable<(BtfExtRecord Record, int OldInsn)> OriginalRecordsOf(CodeSection code, BpfFunction f, List<BtfExtRecord> originals)
    {
        var r = rebuilds[code];
        foreach (var rec in originals)
        {
            // rec.InsnOff is already the new offset of the original instruction; find that instruction again.
            int newSlot = (int)(rec.InsnOff / 8);
            int lo = f.StartInsn, hi = f.EndInsn - 1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >>> 1;
                int s = r.OriginalSlot[mid];
                if (s == newSlot)
                {
                    yield return (rec, mid);
                    break;
                }

                if (s < newSlot) { lo = mid + 1; } else { hi = mid - 1; }
            }
        }
    }

    private void RemapAddrsig(ElfFile elf, int[] map)
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
