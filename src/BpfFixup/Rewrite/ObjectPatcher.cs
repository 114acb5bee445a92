// SPDX-License-Identifier: MIT
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
internal sealed class ObjectPatcher(BpfObject obj, Dictionary<CodeSection, EditableSection> sections, RewritePlan plan, RewriteOptions options, List<Diagnostic> diagnostics)
{
    /// <summary>A symbol's value after the rewrite (byte offset in its section).</summary>
    public static ulong MapSymbolValue(BpfObject obj, Dictionary<CodeSection, EditableSection> sections, int symbolIndex) =>
        MapSymbol(obj, sections, symbolIndex)?.Value ?? obj.Elf.Symbols[symbolIndex].Value;

    /// <summary>A symbol's value and size after the rewrite, or null when they do not change (<see cref="EditableSection.SymbolAfterLayout"/>).</summary>
    private static (ulong Value, ulong Size)? MapSymbol(BpfObject obj, Dictionary<CodeSection, EditableSection> sections, int symbolIndex)
    {
        var sym = obj.Elf.Symbols[symbolIndex];
        if (!sym.HasSection || obj.SectionByIndex(sym.SectionIndex) is not { } code || !sections.TryGetValue(code, out var e) || !e.Changed)
        {
            return null;
        }

        return e.SymbolAfterLayout(symbolIndex, sym.Size);
    }

    /// <summary>The section's bytes after layout, written by the ELF writer straight into the output: each instruction at its slot (RFC 9669 §5.4).</summary>
    private static void Encode(EditableSection e, ElfSection section, ByteOrder order) =>
        section.SetContent(checked(e.SlotCount * InstructionDecoder.SlotSize), bytes => e.WriteTo(bytes, order));

    /// <summary>The entries of relocation section <paramref name="relIndex"/> after layout, in instruction order.</summary>
    private static ElfRelocation[] RelocationsOf(EditableSection e, int relIndex)
    {
        // Counted first, so that the one array is made at its size (no list doubling, no copy of it).
        int count = 0;
        foreach (int k in e.Relocated)
        {
            count += e.RelocationAt(k).RelSection.Index == relIndex ? 1 : 0;
        }

        var entries = new ElfRelocation[count];
        int at = 0;
        foreach (int k in e.Relocated)
        {
            var r = e.RelocationAt(k);
            if (r.RelSection.Index == relIndex)
            {
                entries[at++] = new ElfRelocation(e.ByteOffsetOf(k), (uint)e.RelocationSymbol(k), r.Raw.Type);
            }
        }

        return entries;
    }

    /// <summary>
    /// Edits a copy of the loaded file and writes it; null (with an error in the diagnostics) when it cannot be. Without
    /// <paramref name="produce"/> (<c>check</c>) everything is decided and checked the same way, but no output is made
    /// (an empty array on success).
    /// </summary>
    public byte[]? Write(bool produce, out List<(string Original, string Copy)> copies, out List<string> dropped)
    {
        copies = [];
        dropped = [];
        var elf = obj.Elf.CloneForEdit(); // the loaded file, not a second parse of the input

        // 1. Code and relocations (symbol indices still the old ones).
        var relocationSections = elf.RelocationSections.ToLookup(s => s.Info);
        foreach (var e in sections.Values.Where(e => e.Changed))
        {
            Encode(e, elf.Sections[e.Section.Elf.Index], elf.ByteOrder);
            foreach (var rel in relocationSections[(uint)e.Section.Elf.Index])
            {
                elf.SetRelocations(rel, RelocationsOf(e, rel.Index));
            }
        }

        // 2. Symbols in moved code; the copies' new LOCAL FUNC symbols.
        var symbols = elf.Symbols.ToArray();
        for (int i = 0; i < symbols.Length; i++)
        {
            if (MapSymbol(obj, sections, i) is var (value, size))
            {
                symbols[i] = symbols[i] with { Value = value, Size = size };
            }
        }

        var added = new List<ElfSymbol>();
        var strtab = elf.Sections[(int)elf.SymbolTable!.Link];
        HashSet<string>? names = null; // the symbol names a copy's name must differ from, only when there are copies
        foreach (var f in plan.Specialised)
        {
            names ??= new HashSet<string>(symbols.Select(s => s.Name), StringComparer.Ordinal);
            var e = sections[f.Section];
            var copy = new FunctionInstance(f, true);
            ulong start = e.ByteOffsetOf(e.LabelOf(copy, f.StartInsn));
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
                Value = start,
                // The copy covers what the original's st_size covers, not the code after it that no one loads.
                Size = e.ByteOffsetOf(e.LabelOf(copy, f.StartInsn + f.LoadedLength)) - start,
            });
            copies.Add((f.Name, name));
        }

        // 3. .BTF.ext records follow their instructions; copies get copies of their records.
        if (!new BtfExtPatcher(obj, sections, plan, diagnostics).Patch(elf))
        {
            return null;
        }

        // 4. DWARF describes the old code: drop it (and its relocations) unless asked to keep it.
        var drop = new HashSet<int>();
        bool codeMoved = sections.Values.Any(e => e.Changed);
        // The loader refused code and code relocations under such a name (ObjectLoader.DwarfNameProblem).
        var debug = codeMoved ? elf.Sections.Where(s => DwarfSections.IsDropped(elf, s)).ToList() : [];
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

                // A relocation section goes with the section it applies to, also (in a damaged input) when that is
                // itself a relocation section being dropped: repeat until nothing more goes.
                for (bool more = true; more;)
                {
                    more = false;
                    foreach (var rel in elf.RelocationSections)
                    {
                        if (drop.Contains((int)rel.Info) && drop.Add(rel.Index))
                        {
                            more = true;
                        }
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

        // 5. Final symbol table and every symbol index that moves with it.
        if (SymbolTableEditor.Replace(elf, symbols, added, drop) is { } problem)
        {
            diagnostics.Add(new Diagnostic { Id = DiagnosticIds.BadRelocation, Severity = Severity.Error, Message = problem, File = obj.FileName });
            return null;
        }

        elf.RemoveSections(drop);
        if (!ElfWriter.TryWrite(elf, produce, out var output, out var error))
        {
            diagnostics.Add(new Diagnostic { Id = DiagnosticIds.OutputTooLarge, Severity = Severity.Error, Message = "cannot write the patched object: " + error, File = obj.FileName });
            return null;
        }

        return output;
    }
}
