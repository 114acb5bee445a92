// SPDX-License-Identifier: MIT
using BpfFixup.Btf;
using BpfFixup.Diagnostics;
using BpfFixup.Elf;
using BpfFixup.Isa;

namespace BpfFixup.Model;

/// <summary>
/// A loaded BPF object: the ELF file, BTF, code sections decoded with relocations attached, functions,
/// programs, and the call graph. Loading is deterministic: it depends only on the bytes.
/// </summary>
public sealed class BpfObject
{
    private Dictionary<CodeSection, (int[] Slots, BtfExtRecord[] Records)>? lineIndex;
    private Dictionary<CodeSection, (int Start, int End)>? siteRanges;
    private int siteHint;
    private readonly CodeSection?[] sectionsByElfIndex;
    private Dictionary<string, CodeSection>? sectionsByName;
    private int[][]? symbolsBySection; // [grouped symbol indices, start of each section's group]: one reference, set at once

    internal BpfObject(ElfFile elf, BtfInfo? btf, BtfExt? btfExt, List<CodeSection> sections, IReadOnlyList<Diagnostic> diagnostics)
    {
        Elf = elf;
        Btf = btf;
        BtfExt = btfExt;
        CodeSections = sections;
        sectionsByElfIndex = new CodeSection?[elf.Sections.Count];
        foreach (var s in sections)
        {
            sectionsByElfIndex[s.Elf.Index] = s;
        }

        Diagnostics = diagnostics;
        Functions = sections.SelectMany(s => s.Functions).ToList();
        for (int i = 0; i < Functions.Count; i++)
        {
            Functions[i].Index = i;
        }

        Programs = Functions.Where(f => !f.IsSubprogram).ToList();
        SessionCallSites = FindSessionCallSites();
    }

    /// <summary>The ELF file.</summary>
    public ElfFile Elf { get; }

    /// <summary>The file name as given.</summary>
    public string FileName => Elf.FileName;

    /// <summary>Byte order.</summary>
    public ByteOrder ByteOrder => Elf.ByteOrder;

    /// <summary>.BTF, when present.</summary>
    public BtfInfo? Btf { get; }

    /// <summary>.BTF.ext, when present.</summary>
    public BtfExt? BtfExt { get; }

    /// <summary>Code sections in section-header order.</summary>
    public IReadOnlyList<CodeSection> CodeSections { get; }

    /// <summary>All functions, section by section.</summary>
    public IReadOnlyList<BpfFunction> Functions { get; }

    /// <summary>Functions in program sections: the programs libbpf would load.</summary>
    public IReadOnlyList<BpfFunction> Programs { get; }

    /// <summary>Every call to a session kfunc, in section and instruction order.</summary>
    public IReadOnlyList<SessionCallSite> SessionCallSites { get; }

    /// <summary>
    /// The run of <see cref="SessionCallSites"/> (sorted by section, then instruction) that holds the calls of
    /// <paramref name="section"/>, [Start, End), or null when it has none; the table is made on the first ask.
    /// </summary>
    public (int Start, int End)? SessionCallSiteRange(CodeSection section)
    {
        if (siteRanges is null)
        {
            var ranges = new Dictionary<CodeSection, (int Start, int End)>();
            for (int i = 0; i < SessionCallSites.Count; i++)
            {
                var s = SessionCallSites[i].Section;
                ranges[s] = ranges.TryGetValue(s, out var r) ? (r.Start, i + 1) : (i, i + 1);
            }

            siteRanges = ranges;
        }

        return siteRanges.TryGetValue(section, out var range) ? range : null;
    }

    /// <summary>The session-kfunc call at instruction <paramref name="insn"/> of <paramref name="section"/>, or null.</summary>
    /// <remarks>A binary search of the section's run of <see cref="SessionCallSites"/> (sorted by section, then
    /// instruction), not a map of every site (issue 8's memory bound).</remarks>
    public SessionCallSite? SessionCallSiteAt(CodeSection section, int insn)
    {
        // Listings ask in instruction order: first try the site found last and the one after it (a guess, checked).
        int h = siteHint;
        if ((uint)h < (uint)SessionCallSites.Count && SessionCallSites[h].Section == section)
        {
            var at = SessionCallSites[h];
            if (at.Insn == insn)
            {
                return at;
            }

            if (at.Insn < insn)
            {
                if (h + 1 == SessionCallSites.Count || SessionCallSites[h + 1].Section != section || SessionCallSites[h + 1].Insn > insn)
                {
                    return null;
                }

                if (SessionCallSites[h + 1] is var next && next.Insn == insn)
                {
                    siteHint = h + 1;
                    return next;
                }
            }
        }

        if (SessionCallSiteRange(section) is not { } range)
        {
            return null;
        }

        int lo = range.Start, hi = range.End;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (SessionCallSites[mid].Insn < insn) { lo = mid + 1; } else { hi = mid; }
        }

        if (lo < range.End && SessionCallSites[lo].Insn == insn)
        {
            siteHint = lo;
            return SessionCallSites[lo];
        }

        if (lo > range.Start)
        {
            siteHint = lo - 1; // the site before insn: the next question in order takes the quick path above
        }

        return null;
    }

    /// <summary>Findings made while loading (invalid instructions, misplaced relocations); never fatal ones.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>The code section with ELF index <paramref name="elfIndex"/>, or null.</summary>
    /// <remarks>An array lookup: it is asked for once per call, relocation and symbol (issue 8: a scan of every
    /// code section here made commands quadratic in the number of sections).</remarks>
    public CodeSection? SectionByIndex(int elfIndex) =>
        (uint)elfIndex < (uint)sectionsByElfIndex.Length ? sectionsByElfIndex[elfIndex] : null;

    /// <summary>
    /// The indices of the symbols whose st_shndx is <paramref name="elfIndex"/>, ascending; grouped once for all
    /// sections, so per-section symbol queries stay linear in the symbol table.
    /// </summary>
    public IReadOnlyList<int> SymbolsInSection(int elfIndex)
    {
        if (symbolsBySection is null)
        {
            // One array of symbol indices grouped by section and one of where each section's group starts (a CSR
            // layout): two allocations for any number of sections, not one array per section.
            var symbols = Elf.Symbols;
            var starts = new int[Elf.Sections.Count + 1];
            for (int i = 1; i < symbols.Count; i++)
            {
                if (symbols[i].SectionIndex < Elf.Sections.Count)
                {
                    starts[symbols[i].SectionIndex + 1]++;
                }
            }

            for (int s = 1; s < starts.Length; s++)
            {
                starts[s] += starts[s - 1];
            }

            var grouped = new int[starts[^1]];
            var next = starts[..^1];
            for (int i = 1; i < symbols.Count; i++)
            {
                int s = symbols[i].SectionIndex;
                if (s < Elf.Sections.Count)
                {
                    grouped[next[s]++] = i;
                }
            }

            symbolsBySection = [grouped, starts];
        }

        int[] all = symbolsBySection[0], at = symbolsBySection[1];
        return (uint)elfIndex < (uint)(at.Length - 1) ? new ArraySegment<int>(all, at[elfIndex], at[elfIndex + 1] - at[elfIndex]) : [];
    }

    /// <summary>
    /// Index of the first section symbol of section <paramref name="elfIndex"/> a relocation can address the section's
    /// start through, or -1 when there is none: STT_SECTION, STB_LOCAL and st_value 0, as an assembler writes it. libbpf
    /// takes a LOCAL STT_SECTION symbol for a reference to a static function (libbpf.c <c>sym_is_subprog</c>) and adds
    /// its st_value to the offset, so a symbol of another binding or a nonzero value would move the target.
    /// </summary>
    public int SectionSymbolIndex(int elfIndex)
    {
        foreach (int i in SymbolsInSection(elfIndex))
        {
            var sym = Elf.Symbols[i];
            if (sym.Type == ElfConstants.SttSection && sym.Binding == ElfConstants.StbLocal && sym.Value == 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The first code section called <paramref name="name"/>, or null (.BTF.ext groups name their section).</summary>
    public CodeSection? SectionByName(string name)
    {
        if (sectionsByName is null)
        {
            var byName = new Dictionary<string, CodeSection>(StringComparer.Ordinal);
            foreach (var s in CodeSections)
            {
                byName.TryAdd(s.Name, s);
            }

            sectionsByName = byName;
        }

        return sectionsByName.GetValueOrDefault(name);
    }

    /// <summary>
    /// Resolves a call at <paramref name="insn"/>: helpers by id, kfuncs by their relocation's undefined
    /// symbol, bpf-to-bpf calls pc-relative (no relocation) or through a section or FUNC symbol
    /// (libbpf: target = sym.st_value / 8 + imm + 1).
    /// </summary>
    public CallTarget ResolveCall(CodeSection section, int insn) => ResolveCall(section, insn, section.Instructions[insn]);

    /// <summary>
    /// <see cref="ResolveCall(CodeSection, int)"/> of <paramref name="i"/>, the instruction at <paramref name="insn"/> already
    /// decoded (the analysis holds its functions' instructions decoded: decoding the call again at every transfer, with
    /// the symbol read three times, was 3 % of <c>check</c> on an object of 2,000 programs).
    /// </summary>
    internal CallTarget ResolveCall(CodeSection section, int insn, in Instruction i)
    {
        var kind = section.Kinds[insn];
        if (kind == InstructionKind.CallHelper)
        {
            return new CallTarget(CallTargetKind.Helper, HelperIds.NameOf(i.Imm), null, -1, null, i.Imm);
        }

        if (kind != InstructionKind.CallLocal)
        {
            return CallTarget.None;
        }

        if (section.Relocations[insn] is not { } reloc)
        {
            return ToInsn(section, (long)section.Slots[insn] + i.Imm + 1);
        }

        var symbol = reloc.Symbol;
        if (symbol.IsUndefined)
        {
            return new CallTarget(CallTargetKind.Kfunc, symbol.Name, null, -1, null, 0);
        }

        var target = SectionByIndex(symbol.SectionIndex);
        if (target is null || symbol.Value % 8 != 0)
        {
            return new CallTarget(CallTargetKind.Unresolved, symbol.Name, null, -1, null, 0);
        }

        return ToInsn(target, ((long)symbol.Value / 8) + i.Imm + 1);
    }

    /// <summary>
    /// For an ld_imm64 that loads a code address (a callback for bpf_loop and friends): the target.
    /// Relocated against a section symbol the imm is a byte offset; against a FUNC symbol, its value plus imm.
    /// </summary>
    public CallTarget ResolveFunctionPointer(CodeSection section, int insn)
    {
        var i = section.Instructions[insn];
        if (section.Kinds[insn] != InstructionKind.LoadImm64 || section.Relocations[insn] is not { } reloc || reloc.Symbol.IsUndefined)
        {
            return CallTarget.None;
        }

        var target = SectionByIndex(reloc.Symbol.SectionIndex);
        if (target is null)
        {
            return CallTarget.None;
        }

        long bytes = (long)reloc.Symbol.Value + i.Imm;
        return bytes % 8 == 0 ? ToInsn(target, bytes / 8) : new CallTarget(CallTargetKind.Unresolved, reloc.SymbolName, null, -1, null, 0);
    }

    private static CallTarget ToInsn(CodeSection section, long slot)
    {
        int insn = slot >= 0 && slot < section.SlotCount ? section.InsnAtSlot(slot) : -1;
        if (insn < 0)
        {
            return new CallTarget(CallTargetKind.Unresolved, null, section, -1, null, 0);
        }

        var fn = section.FunctionAt(insn);
        return new CallTarget(CallTargetKind.Subprogram, fn.StartInsn == insn ? fn.Name : null, section, insn, fn.StartInsn == insn ? fn : null, 0);
    }

    /// <summary>A diagnostic about instruction <paramref name="insn"/> of <paramref name="fn"/>, with its source line.</summary>
    /// <param name="fn">The function holding the instruction.</param>
    /// <param name="insn">The instruction index.</param>
    /// <param name="id">The diagnostic id.</param>
    /// <param name="severity">The severity.</param>
    /// <param name="message">The message.</param>
    /// <param name="program">The program being verified, when the finding is about one (set here rather than by a copy).</param>
    public Diagnostic DiagnosticAt(BpfFunction fn, int insn, string id, Severity severity, string message, string? program = null) => new()
    {
        Id = id,
        Severity = severity,
        Message = message,
        File = FileName,
        Section = fn.Section.Name,
        Function = fn.Name,
        Program = program,
        Index = fn.Section.Slots[insn],
        Source = SourceOf(fn.Section, insn),
    };

    /// <summary>The source line of <paramref name="insn"/>: the line_info record at or before it within its function.</summary>
    public SourceLocation? SourceOf(CodeSection section, int insn)
    {
        var (slots, records) = LineIndex(section);
        int at = UpperBound(slots, section.Slots[insn]) - 1;
        return at >= 0 && slots[at] >= section.FunctionAt(insn).StartSlot ? LineInfoReader.Resolve(records[at], Btf!, Elf.Endian) : null;
    }

    /// <summary>The line_info record exactly at <paramref name="insn"/>, if any.</summary>
    public SourceLocation? LineAt(CodeSection section, int insn)
    {
        var (slots, records) = LineIndex(section);
        int at = UpperBound(slots, section.Slots[insn]) - 1;
        return at >= 0 && slots[at] == section.Slots[insn] ? LineInfoReader.Resolve(records[at], Btf!, Elf.Endian) : null;
    }

    /// <summary>The source location of a record of <see cref="LineIndex"/>: what <see cref="LineAt"/> gives at its slot.</summary>
    internal SourceLocation ResolveLine(BtfExtRecord record) => LineInfoReader.Resolve(record, Btf!, Elf.Endian);

    /// <summary>
    /// The line_info records of <paramref name="section"/> sorted by the slot they start at, built once. Records
    /// that do not name an instruction start are left out; of two at one slot the first is kept.
    /// </summary>
    internal (int[] Slots, BtfExtRecord[] Records) LineIndex(CodeSection section)
    {
        lineIndex ??= [];
        if (lineIndex.TryGetValue(section, out var index))
        {
            return index;
        }

        var pairs = new List<(int Slot, BtfExtRecord Record)>();
        if (Btf is not null && BtfExt?.LineInfo.For(section.Name) is { } group)
        {
            foreach (var r in group.Records)
            {
                if (r.InsnOff % 8 == 0 && r.InsnOff / 8 < (uint)section.SlotCount && section.InsnAtSlot(r.InsnOff / 8) >= 0)
                {
                    pairs.Add(((int)(r.InsnOff / 8), r));
                }
            }
        }

        // clang writes them in ascending order (the kernel requires it of line_info): then they are the index as they
        // are, without a sort (a section without records was a chain of LINQ iterators, for each of thousands).
        bool ascending = true;
        for (int k = 1; k < pairs.Count && ascending; k++)
        {
            ascending = pairs[k - 1].Slot < pairs[k].Slot;
        }

        if (ascending)
        {
            var slots = new int[pairs.Count];
            var records = new BtfExtRecord[pairs.Count];
            for (int k = 0; k < pairs.Count; k++)
            {
                (slots[k], records[k]) = pairs[k];
            }

            index = (slots, records);
        }
        else
        {
            var sorted = pairs.Select((p, i) => (p.Slot, p.Record, i)).OrderBy(p => p.Slot).ThenBy(p => p.i)
                .DistinctBy(p => p.Slot).ToList();
            index = (sorted.Select(p => p.Slot).ToArray(), sorted.Select(p => p.Record).ToArray());
        }

        lineIndex[section] = index;
        return index;
    }

    /// <summary>The first position in sorted <paramref name="values"/> holding a value greater than <paramref name="value"/>.</summary>
    private static int UpperBound(int[] values, int value)
    {
        int lo = 0, hi = values.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (values[mid] <= value) { lo = mid + 1; } else { hi = mid; }
        }

        return lo;
    }

    private List<SessionCallSite> FindSessionCallSites()
    {
        // At most one per relocated instruction: sized once, not doubled (issue 8's memory bound).
        var sites = new List<SessionCallSite>(CodeSections.Sum(s => s.Relocations.Count));
        foreach (var s in CodeSections)
        {
            // The relocated instructions in ascending order, not every instruction.
            var relocations = s.Relocations;
            for (int e = 0; e < relocations.Count; e++)
            {
                int i = relocations.InsnAt(e);
                if (relocations.RelocationAt(e) is var r && r.Symbol.IsUndefined && s.Kinds[i] == InstructionKind.CallLocal
                    && SessionKfuncs.FromName(r.SymbolName) is { } k)
                {
                    sites.Add(new SessionCallSite(s, i, k));
                }
            }
        }

        sites.TrimExcess(); // sized for every relocation; the kfunc calls are most of them, not all
        return sites;
    }
}
