// SPDX-License-Identifier: MIT
using BpfFixup.Btf;
using BpfFixup.Diagnostics;
using BpfFixup.Elf;
using BpfFixup.Isa;

namespace BpfFixup.Model;

/// <summary>
/// Builds a <see cref="BpfObject"/> from bytes. A malformed file (ELF, BTF or .BTF.ext structure) is one
/// error diagnostic and no object; instruction-level problems are diagnostics on the object.
/// </summary>
public static class ObjectLoader
{
    /// <summary>Reads and loads a file; I/O failures and malformed input become one error diagnostic.</summary>
    public static BpfObject? LoadFile(string path, DiagnosticBag diagnostics, string? displayName = null)
    {
        string name = displayName ?? path;
        // The ELF header is judged from the first bytes, so that a large file that is not a BPF object is not read.
        if (IO.InputFile.TryRead(path, name, diagnostics, ElfReader.HeaderCheckSize, (head, length, d) => ElfReader.TryCheckHeader(head, length, name, d)) is not { } data)
        {
            return null;
        }

        return TryLoad(data, name, diagnostics, out var obj) ? obj : null;
    }

    /// <summary>Loads <paramref name="data"/>; returns false (with one error in <paramref name="diagnostics"/>) when malformed.</summary>
    public static bool TryLoad(byte[] data, string fileName, DiagnosticBag diagnostics, out BpfObject? obj)
    {
        obj = null;
        if (!ElfReader.TryRead(data, fileName, diagnostics, out var elf) || elf is null)
        {
            return false;
        }

        if ((DwarfNameProblem(elf) ?? TextSections.SecondText(elf)) is { } misnamed)
        {
            diagnostics.Add(misnamed);
            return false;
        }

        BtfInfo? btf = null;
        BtfExt? ext = null;
        if (elf.FindSection(".BTF") is { } btfSection && btfSection.HasFileData)
        {
            try
            {
                btf = BtfInfo.Parse(btfSection.Data, elf.ByteOrder);
            }
            catch (BtfFormatException e)
            {
                diagnostics.Add(Fatal(DiagnosticIds.MalformedBtf, fileName, $"section {btfSection.Index} (.BTF): {e.Message}", (long)btfSection.Offset + e.Offset));
                return false;
            }

            if (elf.FindSection(".BTF.ext") is { } extSection && extSection.HasFileData)
            {
                try
                {
                    ext = BtfExt.Parse(extSection.Data, elf.ByteOrder, btf);
                }
                catch (BtfFormatException e)
                {
                    diagnostics.Add(Fatal(DiagnosticIds.MalformedBtfExt, fileName, $"section {extSection.Index} (.BTF.ext): {e.Message}", (long)extSection.Offset + e.Offset));
                    return false;
                }
            }
        }

        var found = new List<Diagnostic>();
        var sections = new List<CodeSection>();
        foreach (var s in elf.Sections)
        {
            if (!s.IsCode)
            {
                continue;
            }

            if (s.Size % InstructionDecoder.SlotSize != 0)
            {
                found.Add(new Diagnostic
                {
                    Id = DiagnosticIds.PartialSlot,
                    Severity = Severity.Error,
                    Message = $"size {s.Size} is not a multiple of 8: the last {s.Size % 8} bytes are not an instruction",
                    File = fileName,
                    Section = s.Name,
                });
            }

            var code = new CodeSection(s, elf.ByteOrder);
            foreach (var err in code.DecodeErrors)
            {
                found.Add(new Diagnostic
                {
                    Id = DiagnosticIds.InvalidInstruction,
                    Severity = Severity.Error,
                    Message = $"invalid instruction (opcode 0x{err.Opcode:x2}): {err.Message}",
                    File = fileName,
                    Section = s.Name,
                    Index = err.Slot,
                });
            }

            sections.Add(code);
        }

        // SHT_REL sections by the section they apply to (sh_info), found once rather than per code section.
        // And the FUNC symbols (by symbol index) by their st_shndx.
        var relocationSections = elf.RelocationSections.ToLookup(r => r.Info);
        var functionSymbols = Enumerable.Range(0, elf.Symbols.Count)
            .Where(i => elf.Symbols[i].Type == ElfConstants.SttFunc)
            .ToLookup(i => elf.Symbols[i].SectionIndex);
        foreach (var code in sections)
        {
            AttachRelocations(elf, code, relocationSections[(uint)code.Elf.Index], found);
            BuildFunctions(elf, code, code.Elf.Index <= ushort.MaxValue ? functionSymbols[(ushort)code.Elf.Index] : [], found);
        }

        if (ext is not null)
        {
            CheckBtfExt(elf, ext, sections, found);
        }

        obj = new BpfObject(elf, btf, ext, sections, found);
        return true;
    }

    /// <summary>
    /// What no other tool checks (llvm-objdump-19, llvm-readelf-19, bpftool and libbpf 1.1 accept such damage, run on corrupted copies): every func_info, line_info and core_relo record names an
    /// instruction start inside an existing code section (insn_off in bytes, a multiple of 8), and records of a
    /// group are sorted, as the kernel requires of func_info and line_info.
    /// </summary>
    private static void CheckBtfExt(ElfFile elf, BtfExt ext, List<CodeSection> sections, List<Diagnostic> found)
    {
        var byName = new Dictionary<string, CodeSection>(StringComparer.Ordinal);
        foreach (var c in sections)
        {
            byName.TryAdd(c.Name, c);
        }

        var subsections = new List<(string Name, BtfExtSubsection Sub)> { ("func_info", ext.FuncInfo), ("line_info", ext.LineInfo) };
        if (ext.CoreRelo is not null)
        {
            subsections.Add(("core_relo", ext.CoreRelo));
        }

        foreach (var (what, sub) in subsections)
        {
            foreach (var group in sub.Sections)
            {
                var code = byName.GetValueOrDefault(group.SectionName);
                if (code is null)
                {
                    found.Add(BtfExtProblem(elf, group.SectionName, Severity.Warning, $".BTF.ext {what} names section '{group.SectionName}', which is not a code section of this object"));
                    continue;
                }

                uint previous = 0;
                for (int i = 0; i < group.Records.Count; i++)
                {
                    uint off = group.Records[i].InsnOff;
                    string? problem = off % 8 != 0 ? "is not a multiple of 8"
                        : off / 8 >= (uint)code.SlotCount ? $"is past the end of the section (0x{code.SlotCount * 8:x} bytes)"
                        : code.InsnAtSlot(off / 8) < 0 ? "points into the second slot of an ld_imm64"
                        : what != "core_relo" && i > 0 && off < previous ? "is not in ascending order"
                        : null;
                    if (problem is not null)
                    {
                        found.Add(BtfExtProblem(elf, code.Name, Severity.Error, $".BTF.ext {what} record #{i}: insn_off 0x{off:x} {problem}"));
                    }

                    previous = off;
                }
            }
        }
    }

    /// <summary>
    /// Code, or relocations of a section that is not DWARF, under a DWARF name (<see cref="DwarfSections"/>): libbpf
    /// ignores the section, so it loads the object without that code or those relocations, and <c>patch</c> would drop
    /// it with the DWARF (the output's calls then lose their relocations). The input is damaged.
    /// </summary>
    private static Diagnostic? DwarfNameProblem(ElfFile elf)
    {
        foreach (var s in elf.Sections)
        {
            if (!DwarfSections.IsDwarfName(s.Name))
            {
                continue;
            }

            string? problem = null;
            if (s.IsCode)
            {
                problem = "holds code (SHF_EXECINSTR)";
            }
            else if (s.Type == ElfConstants.ShtRel && s.Info != 0 && s.Info < (uint)elf.Sections.Count && elf.Sections[(int)s.Info] is var target
                && !DwarfSections.IsDwarfName(target.Name))
            {
                problem = $"holds the relocations of section {target.Index} ({target.Name})";
            }

            if (problem is not null)
            {
                long header = (long)elf.Header.SectionHeaderOffset + ((long)s.Index * elf.Header.SectionHeaderEntrySize);
                return Fatal(DiagnosticIds.MalformedElf, elf.FileName,
                    $"section {s.Index} ({s.Name}, header at 0x{header:x}) {problem} under a DWARF name, which libbpf ignores (libbpf.c ignore_elf_section) and patch drops with the DWARF", header);
            }
        }

        return CodeRelocationIntoDwarf(elf);
    }

    /// <summary>
    /// A relocation of a code section against a symbol defined in a section under a DWARF name: libbpf refuses
    /// it (bpf_program__record_reloc, "bad data relo against section"), as it ignored that section.
    /// </summary>
    private static Diagnostic? CodeRelocationIntoDwarf(ElfFile elf)
    {
        foreach (var rel in elf.RelocationSections)
        {
            if (rel.Info >= (uint)elf.Sections.Count || !elf.Sections[(int)rel.Info].IsCode)
            {
                continue;
            }

            var entries = elf.GetRelocations(rel);
            for (int e = 0; e < entries.Count; e++)
            {
                var sym = elf.Symbols[(int)entries[e].SymbolIndex];
                if (sym.HasSection && sym.SectionIndex < elf.Sections.Count
                    && elf.Sections[sym.SectionIndex] is var home && DwarfSections.IsDwarfName(home.Name))
                {
                    long at = (long)rel.Offset + ((long)e * ElfConstants.RelSize);
                    return Fatal(DiagnosticIds.MalformedElf, elf.FileName,
                        $"relocation #{e} of {rel.Name} (at 0x{at:x}) refers to '{sym.Name}' in section {home.Index} ({home.Name}) under a DWARF name, which libbpf ignores (libbpf.c ignore_elf_section)", at);
                }
            }
        }

        return null;
    }

    private static Diagnostic BtfExtProblem(ElfFile elf, string section, Severity severity, string message) =>
        new() { Id = DiagnosticIds.BtfExtOutOfBounds, Severity = severity, Message = message, File = elf.FileName, Section = section };

    private static Diagnostic Fatal(string id, string file, string message, long offset) =>
        new() { Id = id, Severity = Severity.Error, Message = message, File = file, FileOffset = offset };

    private static void AttachRelocations(ElfFile elf, CodeSection code, IEnumerable<ElfSection> relocationSections, List<Diagnostic> found)
    {
        // The relocated instructions and their relocations, with one bit per instruction to find a second one: no
        // array of a reference per instruction (8 bytes each, nearly all null).
        // Sized once for every entry (nearly all attach): no list doubling and no copy into the final arrays.
        var tables = relocationSections as IList<ElfSection> ?? [.. relocationSections];
        int capacity = 0;
        foreach (var rel in tables)
        {
            capacity += elf.GetRelocations(rel).Count;
        }

        var insns = new int[capacity];
        var attached = new ObjectRelocation[capacity];
        int count = 0;
        var taken = new ulong[(code.Instructions.Length + 63) >> 6];
        bool sorted = true;
        // One array of the file's symbols for all tables: a symbol table is shared, not copied per section.
        ElfSymbol[]? symbols = null;
        foreach (var rel in tables)
        {
            var entries = elf.GetRelocations(rel);
            var table = RelocationTable.Of(rel, entries, symbols ??= elf.Symbols as ElfSymbol[] ?? [.. elf.Symbols]);
            for (int e = 0; e < entries.Count; e++)
            {
                var r = entries[e];
                string? problem = null;
                int insn = r.Offset % 8 == 0 ? code.InsnAtSlot((long)(r.Offset / 8)) : -1;
                if (insn < 0 || insn >= code.Instructions.Length)
                {
                    problem = r.Offset % 8 != 0 ? $"r_offset 0x{r.Offset:x} is not a multiple of 8" : $"r_offset 0x{r.Offset:x} is not the start of an instruction";
                }
                else
                {
                    var kind = code.Kinds[insn];
                    problem = r.Kind switch
                    {
                        BpfRelocationType.R64_32 when kind is not InstructionKind.CallLocal => $"{BpfRelocationTypeNames.NameOf(r.Type)} against '{elf.Symbols[(int)r.SymbolIndex].Name}' on a non-call instruction (code 0x{code.Instructions[insn].Opcode:x2})",
                        BpfRelocationType.R64_64 when kind is not InstructionKind.LoadImm64 => $"{BpfRelocationTypeNames.NameOf(r.Type)} against '{elf.Symbols[(int)r.SymbolIndex].Name}' on a non-ld_imm64 instruction (code 0x{code.Instructions[insn].Opcode:x2})",
                        // libbpf bpf_program__record_reloc takes a code address only in .text (sym_is_subprog); one in
                        // another code section is a data relocation against a section without data, which it refuses.
                        BpfRelocationType.R64_64 when elf.Symbols[(int)r.SymbolIndex] is { HasSection: true } sym && sym.SectionIndex < elf.Sections.Count
                            && elf.Sections[sym.SectionIndex] is { IsCode: true, Name: not ".text" } elsewhere => $"bad data relo against section '{elsewhere.Name}': a code address ld_imm64 loads must be in .text",
                        BpfRelocationType.R64_32 or BpfRelocationType.R64_64 => null,
                        _ => $"unexpected relocation type {BpfRelocationTypeNames.NameOf(r.Type)} in a code section",
                    };
                    if (problem is null && (taken[insn >> 6] & (1UL << (insn & 63))) != 0)
                    {
                        problem = "a second relocation on the same instruction";
                    }
                }

                if (problem is not null)
                {
                    found.Add(new Diagnostic
                    {
                        Id = DiagnosticIds.BadRelocation,
                        Severity = Severity.Error,
                        Message = $"relocation #{e} of {rel.Name}: {problem}",
                        File = elf.FileName,
                        Section = code.Name,
                        Index = insn >= 0 && insn < code.Instructions.Length ? code.Slots[insn] : null,
                    });
                    continue;
                }

                taken[insn >> 6] |= 1UL << (insn & 63);
                sorted &= count == 0 || insns[count - 1] < insn;
                insns[count] = insn;
                attached[count++] = new ObjectRelocation(table, e);
            }
        }

        int[] at = insns;
        ObjectRelocation[] relocations = attached;
        if (count < capacity)
        {
            Array.Resize(ref at, count);
            Array.Resize(ref relocations, count);
        }

        if (!sorted)
        {
            Array.Sort(at, relocations); // distinct instructions: the order is fully determined
        }

        code.Relocations = new InstructionRelocations(at, relocations);
    }

    private static void BuildFunctions(ElfFile elf, CodeSection code, IEnumerable<int> functionSymbols, List<Diagnostic> found)
    {
        // Each start instruction with the first FUNC symbol (in symbol-table order) found there: a list sorted once,
        // only when out of order (a sorted map per section was a tree of nodes for each of thousands of sections).
        var starts = new List<(int Insn, string Name, int SymbolIndex, bool Global, ElfSymbol Symbol)>();
        foreach (int i in functionSymbols)
        {
            var sym = elf.Symbols[i];

            int insn = sym.Value % 8 == 0 && sym.Value / 8 < (ulong)code.SlotCount ? code.InsnAtSlot((long)(sym.Value / 8)) : -1;
            ulong end = sym.Value + sym.Size;
            if (insn < 0 || end > code.Elf.Size || end < sym.Value)
            {
                found.Add(new Diagnostic
                {
                    Id = DiagnosticIds.BadSymbol,
                    Severity = Severity.Error,
                    Message = $"FUNC symbol '{sym.Name}' (st_value 0x{sym.Value:x}, st_size 0x{sym.Size:x}) does not start at an instruction inside the section or crosses its end",
                    File = elf.FileName,
                    Section = code.Name,
                });
                continue;
            }

            starts.Add((insn, sym.Name, i, sym.Binding != ElfConstants.StbLocal, sym));
        }

        int count = code.Instructions.Length;
        if (count == 0)
        {
            return;
        }

        // By start, then by symbol index (the order they were found in), then the first of each start.
        for (int k = 1; k < starts.Count; k++)
        {
            if (starts[k - 1].Insn > starts[k].Insn)
            {
                starts.Sort((a, b) => a.Insn != b.Insn ? a.Insn.CompareTo(b.Insn) : a.SymbolIndex.CompareTo(b.SymbolIndex));
                break;
            }
        }

        // The first of each start, kept in place (no second list per section).
        int kept = 0;
        for (int k = 0; k < starts.Count; k++)
        {
            if (kept == 0 || starts[kept - 1].Insn != starts[k].Insn)
            {
                starts[kept++] = starts[k];
            }
        }

        starts.RemoveRange(kept, starts.Count - kept);
        if (kept == 0 || starts[0].Insn != 0)
        {
            // Code before the first FUNC symbol (llvm-mc output without .type, say) forms a function named after the section.
            starts.Insert(0, (0, code.Name, -1, false, default));
        }

        code.Functions.EnsureCapacity(starts.Count);
        for (int k = 0; k < starts.Count; k++)
        {
            var (start, name, symIndex, global, symbol) = starts[k];
            int end = k + 1 < starts.Count ? starts[k + 1].Insn : count;
            var fn = new BpfFunction
            {
                Name = name,
                Section = code,
                SymbolIndex = symIndex,
                StartInsn = start,
                EndInsn = end,
                IsGlobal = global,
                Symbol = symIndex >= 0 ? symbol : null,
            };
            code.Functions.Add(fn);
        }
    }
}
