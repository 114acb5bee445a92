// SPDX-License-Identifier: MIT
using BpfFixup.Text;

namespace BpfFixup.Elf;

/// <summary>
/// An ELF64 relocatable BPF object: header, sections in header order, and the typed symbol and relocation
/// tables. Bytes are the source of truth; the typed lists are kept in step by the setters.
/// </summary>
public sealed class ElfFile
{
    private readonly Dictionary<int, ElfRelocation[]> relocations;
    private ElfSymbol[] symbols;

    internal ElfFile(string fileName, byte[] original, ElfHeader header, List<ElfSection> sections, ElfSymbol[] symbols, Dictionary<int, ElfRelocation[]> relocations)
    {
        FileName = fileName;
        Original = original;
        Header = header;
        Sections = sections;
        this.symbols = symbols;
        this.relocations = relocations;
        Endian = new EndianBytes(ByteOrder);
    }

    /// <summary>
    /// A copy to edit (the patcher's output), sharing the bytes: each section's data is replaced, never written into,
    /// so the loaded file stays as read without a second parse of it.
    /// </summary>
    internal ElfFile CloneForEdit() =>
        new(FileName, Original, Header.Clone(), [.. Sections.Select(s => s.Clone())], symbols, new Dictionary<int, ElfRelocation[]>(relocations));

    /// <summary>The file name as given by the caller (used in diagnostics; never made absolute).</summary>
    public string FileName { get; }

    /// <summary>The bytes that were read.</summary>
    public byte[] Original { get; }

    /// <summary>The ELF header.</summary>
    public ElfHeader Header { get; }

    /// <summary>Sections in section-header order; index 0 is the null section.</summary>
    public List<ElfSection> Sections { get; }

    /// <summary>Byte order from EI_DATA.</summary>
    public ByteOrder ByteOrder => Header.Ident[5] == 2 ? ByteOrder.Big : ByteOrder.Little;

    /// <summary>Field accessors in the file's byte order.</summary>
    public EndianBytes Endian { get; }

    /// <summary>The symbol table section (SHT_SYMTAB), if any.</summary>
    public ElfSection? SymbolTable => Sections.Find(s => s.Type == ElfConstants.ShtSymtab);

    /// <summary>The symbols of <see cref="SymbolTable"/>, index 0 being the null symbol.</summary>
    public IReadOnlyList<ElfSymbol> Symbols => symbols;

    /// <summary>True when sections were removed since reading (indices were renumbered).</summary>
    public bool SectionsRemoved { get; private set; }

    /// <summary>The section called <paramref name="name"/>, or null.</summary>
    public ElfSection? FindSection(string name) => Sections.Find(s => s.Name == name);

    /// <summary>The relocations of SHT_REL section <paramref name="relSection"/>.</summary>
    public IReadOnlyList<ElfRelocation> GetRelocations(ElfSection relSection) =>
        relocations.TryGetValue(relSection.Index, out var r) ? r : [];

    /// <summary>The SHT_REL sections that apply to <paramref name="target"/> (sh_info == its index).</summary>
    public IEnumerable<ElfSection> RelocationSectionsFor(ElfSection target) =>
        Sections.Where(s => s.Type == ElfConstants.ShtRel && s.Info == (uint)target.Index);

    /// <summary>All SHT_REL sections.</summary>
    public IEnumerable<ElfSection> RelocationSections => Sections.Where(s => s.Type == ElfConstants.ShtRel);

    /// <summary>
    /// Replaces the relocations of <paramref name="relSection"/> (the array is kept, not copied); its bytes are encoded
    /// when written, straight into the output (<see cref="ElfSection.SetContent"/>: no array of their own).
    /// </summary>
    public void SetRelocations(ElfSection relSection, ElfRelocation[] entries)
    {
        var endian = Endian;
        relSection.SetContent(checked(entries.Length * ElfConstants.RelSize), bytes =>
        {
            for (int i = 0; i < entries.Length; i++)
            {
                var span = bytes[(i * ElfConstants.RelSize)..];
                endian.U64(span, entries[i].Offset);
                endian.U64(span[8..], entries[i].Info);
            }
        });
        relocations[relSection.Index] = entries;
    }

    /// <summary>Replaces the symbol table; <paramref name="firstGlobal"/> becomes sh_info.</summary>
    public void SetSymbols(ElfSymbol[] entries, uint firstGlobal)
    {
        var table = SymbolTable ?? throw new InvalidOperationException("the object has no symbol table");
        var endian = Endian;
        // Encoded when written, straight into the output (the array is kept, not copied).
        table.SetContent(checked(entries.Length * ElfConstants.SymbolSize), bytes =>
        {
            for (int i = 0; i < entries.Length; i++)
            {
                var span = bytes[(i * ElfConstants.SymbolSize)..];
                var s = entries[i];
                endian.U32(span, s.NameOffset);
                span[4] = s.Info;
                span[5] = s.Other;
                endian.U16(span[6..], s.SectionIndex);
                endian.U64(span[8..], s.Value);
                endian.U64(span[16..], s.Size);
            }
        });
        table.Info = firstGlobal;
        symbols = entries;
    }

    /// <summary>Returns the offset of <paramref name="value"/> in <paramref name="strtab"/>, appending it when absent.</summary>
    public uint InternString(ElfSection strtab, string value)
    {
        int found = StringTable.Find(strtab.Data, value);
        if (found >= 0)
        {
            return (uint)found;
        }

        var add = RawUtf8.GetBytes(value + "\0"); // the bytes a name read from the file came from
        var bytes = new byte[strtab.Data.Length + add.Length];
        strtab.Data.CopyTo(bytes);
        add.CopyTo(bytes, strtab.Data.Length);
        strtab.SetData(bytes);
        return (uint)(bytes.Length - add.Length);
    }

    /// <summary>
    /// Removes sections and renumbers the rest: sh_link, sh_info of SHF_INFO_LINK/REL sections, symbol
    /// st_shndx and e_shstrndx. No symbol may still point into a removed section.
    /// </summary>
    public void RemoveSections(IReadOnlySet<int> indices)
    {
        if (indices.Count == 0)
        {
            return;
        }

        var map = new int[Sections.Count];
        int next = 0;
        for (int i = 0; i < Sections.Count; i++)
        {
            map[i] = indices.Contains(i) ? -1 : next++;
        }

        foreach (var s in symbols)
        {
            if (s.HasSection && map[s.SectionIndex] < 0)
            {
                throw new InvalidOperationException($"symbol '{s.Name}' still refers to removed section {s.SectionIndex}");
            }
        }

        foreach (var i in indices)
        {
            if (i > 0 && i < Sections.Count && Sections[i].HasFileData)
            {
                EarliestRemovedOffset = Math.Min(EarliestRemovedOffset, Sections[i].Offset);
            }
        }

        var kept = new List<ElfSection>();
        var newRelocs = new Dictionary<int, ElfRelocation[]>();
        foreach (var s in Sections)
        {
            if (map[s.Index] < 0)
            {
                continue;
            }

            if (s.Link != 0 && s.Link < map.Length)
            {
                s.Link = (uint)Math.Max(map[s.Link], 0);
            }

            if ((s.Type == ElfConstants.ShtRel || s.Type == ElfConstants.ShtRela || (s.Flags & ElfConstants.ShfInfoLink) != 0) && s.Info < map.Length)
            {
                s.Info = (uint)Math.Max(map[s.Info], 0);
            }

            if (relocations.TryGetValue(s.Index, out var r))
            {
                newRelocs[map[s.Index]] = r;
            }

            s.Index = map[s.Index];
            kept.Add(s);
        }

        Sections.Clear();
        Sections.AddRange(kept);
        relocations.Clear();
        foreach (var (k, v) in newRelocs)
        {
            relocations[k] = v;
        }

        if (Header.SectionNameTableIndex < map.Length)
        {
            Header.SectionNameTableIndex = (ushort)Math.Max(map[Header.SectionNameTableIndex], 0);
        }

        var table = SymbolTable;
        if (table is not null)
        {
            var renumbered = symbols.Select(s => s.HasSection ? s with { SectionIndex = (ushort)map[s.SectionIndex] } : s).ToArray();
            SetSymbols(renumbered, table.Info);
        }

        SectionsRemoved = true;
    }

    /// <summary>The smallest original file offset of a removed section: layout must restart there.</summary>
    internal ulong EarliestRemovedOffset { get; private set; } = ulong.MaxValue;
}
