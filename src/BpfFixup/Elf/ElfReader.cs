// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;

namespace BpfFixup.Elf;

/// <summary>
/// Reads ELF64 relocatable objects for EM_BPF in either byte order. Every offset, size, count, index,
/// entsize and string is checked against the file before use; the first malformed structure becomes one
/// error diagnostic naming the structure and its offset.
/// </summary>
public static class ElfReader
{
    /// <summary>Reads <paramref name="data"/>; on failure returns false and adds one error to <paramref name="diagnostics"/>.</summary>
    public static bool TryRead(byte[] data, string fileName, DiagnosticBag diagnostics, out ElfFile? file)
    {
        try
        {
            file = Read(data, fileName);
            return true;
        }
        catch (ElfFormatException e)
        {
            diagnostics.Add(Malformed(e, fileName));
            file = null;
            return false;
        }
    }

    /// <summary>How many bytes <see cref="TryCheckHeader"/> looks at: the Elf64_Ehdr.</summary>
    public const int HeaderCheckSize = ElfConstants.HeaderSize;

    /// <summary>
    /// Checks the identification and the header from the first <see cref="HeaderCheckSize"/> bytes of a file of
    /// <paramref name="fileLength"/> bytes, before the rest is read (issue 8: a 1.9 GB file of zeros was read whole to
    /// be told "not an ELF file"); on failure returns false and adds the error <see cref="TryRead"/> would add.
    /// </summary>
    /// <param name="head">The file's first bytes (all of them when it is shorter).</param>
    /// <param name="fileLength">The file's length.</param>
    /// <param name="fileName">The file as messages name it.</param>
    /// <param name="diagnostics">Where the error goes.</param>
    public static bool TryCheckHeader(ReadOnlySpan<byte> head, long fileLength, string fileName, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        try
        {
            _ = ReadHeader(head, fileLength, out _);
            return true;
        }
        catch (ElfFormatException e)
        {
            diagnostics.Add(Malformed(e, fileName));
            return false;
        }
    }

    private static Diagnostic Malformed(ElfFormatException e, string fileName) => new()
    {
        Id = DiagnosticIds.MalformedElf,
        Severity = Severity.Error,
        Message = e.Message,
        File = fileName,
        FileOffset = e.Offset,
    };

    private static ElfFile Read(byte[] data, string fileName)
    {
        var header = ReadHeader(data, data.Length, out var endian);
        var sections = ReadSectionHeaders(data, header, endian);
        CheckLayout(header, sections);

        ElfSymbol[] symbols = [];
        var symtabs = sections.Where(s => s.Type == ElfConstants.ShtSymtab).ToList();
        if (symtabs.Count > 1)
        {
            throw new ElfFormatException($"section header {symtabs[1].Index} ({symtabs[1].Name})", HeaderOffset(header, symtabs[1].Index), "more than one symbol table");
        }

        if (symtabs.Count == 1)
        {
            symbols = ReadSymbols(symtabs[0], sections, header, endian);
        }

        var relocs = new Dictionary<int, ElfRelocation[]>();
        foreach (var rel in sections.Where(s => s.Type == ElfConstants.ShtRel))
        {
            relocs[rel.Index] = ReadRelocations(rel, sections, header, symbols.Length, endian);
        }

        return new ElfFile(fileName, data, header, sections, symbols, relocs);
    }

    private static long HeaderOffset(ElfHeader h, int index) => (long)h.SectionHeaderOffset + ((long)index * ElfConstants.SectionHeaderSize);

    /// <summary>The header from the first bytes <paramref name="data"/> of a file of <paramref name="fileLength"/> bytes.</summary>
    private static ElfHeader ReadHeader(ReadOnlySpan<byte> data, long fileLength, out EndianBytes endian)
    {
        if (data.Length < 4 || data[0] != 0x7f || data[1] != (byte)'E' || data[2] != (byte)'L' || data[3] != (byte)'F')
        {
            throw new ElfFormatException("ELF header", 0, "not an ELF file (bad magic)");
        }

        if (data.Length < ElfConstants.HeaderSize)
        {
            throw new ElfFormatException("ELF header", 0, $"truncated: file is {fileLength} bytes, the header needs {ElfConstants.HeaderSize}");
        }

        if (data[4] != ElfConstants.ElfClass64)
        {
            throw new ElfFormatException("ELF header", 4, $"EI_CLASS {data[4]} is not ELFCLASS64");
        }

        if (data[5] is not 1 and not 2)
        {
            throw new ElfFormatException("ELF header", 5, $"EI_DATA {data[5]} is neither ELFDATA2LSB nor ELFDATA2MSB");
        }

        if (data[6] != ElfConstants.EvCurrent)
        {
            // gABI "ELF Identification": EI_VERSION must be EV_CURRENT; libelf (elfutils elf_begin.c determine_kind),
            // and so libbpf, takes nothing else for an ELF file.
            throw new ElfFormatException("ELF header", 6, $"EI_VERSION {data[6]} is not EV_CURRENT (1)");
        }

        endian = new EndianBytes(data[5] == 2 ? ByteOrder.Big : ByteOrder.Little);
        var b = data;
        var e = endian;
        var h = new ElfHeader
        {
            Ident = b[..ElfConstants.IdentSize].ToArray(),
            Type = e.U16(b[16..]),
            Machine = e.U16(b[18..]),
            Version = e.U32(b[20..]),
            Entry = e.U64(b[24..]),
            ProgramHeaderOffset = e.U64(b[32..]),
            SectionHeaderOffset = e.U64(b[40..]),
            Flags = e.U32(b[48..]),
            HeaderSize = e.U16(b[52..]),
            ProgramHeaderEntrySize = e.U16(b[54..]),
            ProgramHeaderCount = e.U16(b[56..]),
            SectionHeaderEntrySize = e.U16(b[58..]),
            SectionHeaderCount = e.U16(b[60..]),
            SectionNameTableIndex = e.U16(b[62..]),
        };

        if (h.Machine is not ElfConstants.EmBpf and not ElfConstants.EmNone)
        {
            throw new ElfFormatException("ELF header", 18, $"e_machine {h.Machine} is not EM_BPF (247): not a BPF object");
        }

        if (h.Type != ElfConstants.EtRel)
        {
            throw new ElfFormatException("ELF header", 16, $"e_type {h.Type} is not ET_REL: not a relocatable object");
        }

        if (h.ProgramHeaderCount != 0)
        {
            throw new ElfFormatException("ELF header", 56, $"e_phnum {h.ProgramHeaderCount}: a relocatable BPF object has no program headers");
        }

        if (h.SectionHeaderOffset == 0)
        {
            throw new ElfFormatException("ELF header", 40, "no section header table (e_shoff is 0)");
        }

        if (h.SectionHeaderCount == 0)
        {
            // gABI "Sections": with SHN_LORESERVE (0xff00) sections or more, e_shnum is 0 and section 0's sh_size
            // holds the count. A BPF object never has that many; say what the file claims without trusting it.
            throw new ElfFormatException("ELF header", 60, "e_shnum is 0 (the extended section count in section 0's sh_size is not supported)");
        }

        if (h.SectionHeaderCount >= ElfConstants.ShnLoReserve)
        {
            // gABI "Sections": e_shnum holds the count only below SHN_LORESERVE; indices from there on are reserved.
            throw new ElfFormatException("ELF header", 60, $"e_shnum {h.SectionHeaderCount} is not below SHN_LORESERVE (0xff00)");
        }

        if (h.SectionHeaderEntrySize != ElfConstants.SectionHeaderSize)
        {
            throw new ElfFormatException("ELF header", 58, $"e_shentsize {h.SectionHeaderEntrySize} is not {ElfConstants.SectionHeaderSize}");
        }

        ulong tableEnd = h.SectionHeaderOffset + ((ulong)h.SectionHeaderCount * ElfConstants.SectionHeaderSize);
        if (h.SectionHeaderOffset > (ulong)fileLength || tableEnd > (ulong)fileLength)
        {
            throw new ElfFormatException("section header table", (long)Math.Min(h.SectionHeaderOffset, long.MaxValue),
                $"{h.SectionHeaderCount} entries from e_shoff 0x{h.SectionHeaderOffset:x} run past the end of the file ({fileLength} bytes)");
        }

        if (h.SectionHeaderOffset < ElfConstants.HeaderSize)
        {
            throw new ElfFormatException("section header table", (long)h.SectionHeaderOffset, "overlaps the ELF header");
        }

        if (h.SectionNameTableIndex == ElfConstants.ShnUndef)
        {
            // libbpf needs section names too (bpf_object__elf_init: "failed to get section names strings").
            throw new ElfFormatException("ELF header", 62, "e_shstrndx is 0 (SHN_UNDEF): the object has no section name table");
        }

        if (h.SectionNameTableIndex == ElfConstants.ShnXIndex)
        {
            throw new ElfFormatException("ELF header", 62, "e_shstrndx is SHN_XINDEX (the index in section 0's sh_link is not supported)");
        }

        if (h.SectionNameTableIndex >= h.SectionHeaderCount)
        {
            throw new ElfFormatException("ELF header", 62, $"e_shstrndx {h.SectionNameTableIndex} is out of range ({h.SectionHeaderCount} sections)");
        }

        return h;
    }

    private static List<ElfSection> ReadSectionHeaders(byte[] data, ElfHeader h, EndianBytes e)
    {
        var raw = new (uint Name, uint Type, ulong Flags, ulong Addr, ulong Off, ulong Size, uint Link, uint Info, ulong Align, ulong EntSize)[h.SectionHeaderCount];
        for (int i = 0; i < raw.Length; i++)
        {
            var s = data.AsSpan((int)HeaderOffset(h, i), ElfConstants.SectionHeaderSize);
            raw[i] = (e.U32(s), e.U32(s[4..]), e.U64(s[8..]), e.U64(s[16..]), e.U64(s[24..]), e.U64(s[32..]), e.U32(s[40..]), e.U32(s[44..]), e.U64(s[48..]), e.U64(s[56..]));
        }

        // Section contents are checked against the file before any is read, the name table first.
        for (int i = 1; i < raw.Length; i++)
        {
            var r = raw[i];
            if (r.Type is ElfConstants.ShtNobits or ElfConstants.ShtNull)
            {
                continue;
            }

            if (r.Off > (ulong)data.Length || r.Size > (ulong)data.Length - r.Off)
            {
                throw new ElfFormatException($"section header {i}", HeaderOffset(h, i),
                    $"sh_offset 0x{r.Off:x} + sh_size 0x{r.Size:x} runs past the end of the file ({data.Length} bytes)");
            }

            if (r.Align > 1 && (r.Align & (r.Align - 1)) != 0)
            {
                throw new ElfFormatException($"section header {i}", HeaderOffset(h, i), $"sh_addralign {r.Align} is not a power of two");
            }

            if (r.Align > 1u << 16)
            {
                throw new ElfFormatException($"section header {i}", HeaderOffset(h, i), $"sh_addralign {r.Align} is unreasonably large");
            }
        }

        var names = raw[h.SectionNameTableIndex];
        if (names.Type != ElfConstants.ShtStrtab)
        {
            throw new ElfFormatException($"section header {h.SectionNameTableIndex}", HeaderOffset(h, h.SectionNameTableIndex), "e_shstrndx does not name a string table");
        }

        var nameTable = data.AsSpan((int)names.Off, (int)names.Size);
        var sections = new List<ElfSection>(raw.Length);
        for (int i = 0; i < raw.Length; i++)
        {
            var r = raw[i];
            string name = string.Empty;
            if (i > 0 && !StringTable.TryGet(nameTable, r.Name, out name, StringTable.MaxSectionName))
            {
                throw new ElfFormatException($"section header {i}", HeaderOffset(h, i), $"sh_name 0x{r.Name:x} {StringTable.Problem(nameTable, r.Name, StringTable.MaxSectionName)} (section names)");
            }

            ReadOnlyMemory<byte> bytes = r.Type is ElfConstants.ShtNobits or ElfConstants.ShtNull || i == 0 ? ReadOnlyMemory<byte>.Empty : data.AsMemory((int)r.Off, (int)r.Size);
            sections.Add(new ElfSection(bytes)
            {
                Index = i,
                Name = name,
                NameOffset = r.Name,
                Type = r.Type,
                Flags = r.Flags,
                Address = r.Addr,
                Offset = r.Off,
                Size = r.Size,
                SizeAsRead = r.Size,
                Link = r.Link,
                Info = r.Info,
                Alignment = r.Align,
                EntrySize = r.EntSize,
            });
        }

        return sections;
    }

    private static void CheckLayout(ElfHeader h, List<ElfSection> sections)
    {
        // Content ranges must not overlap each other, the ELF header or the section header table:
        // the writer lays chunks out in file order and could not reproduce overlapping ones.
        // A range's owner is a section index, or -1 / -2 for the two headers: its description is only made for the message.
        var ranges = new List<(ulong Start, ulong End, int Owner)>(sections.Count + 2)
        {
            (0, ElfConstants.HeaderSize, -1),
            (h.SectionHeaderOffset, h.SectionHeaderOffset + ((ulong)h.SectionHeaderCount * ElfConstants.SectionHeaderSize), -2),
        };
        foreach (var s in sections)
        {
            if (s.Index > 0 && s.HasFileData && s.Size > 0)
            {
                ranges.Add((s.Offset, s.Offset + s.Size, s.Index));
            }
        }

        ranges.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End));
        for (int i = 1; i < ranges.Count; i++)
        {
            if (ranges[i].Start < ranges[i - 1].End)
            {
                throw new ElfFormatException(What(ranges[i].Owner), (long)ranges[i].Start, $"overlaps {What(ranges[i - 1].Owner)}");
            }
        }

        string What(int owner) => owner switch
        {
            -1 => "the ELF header",
            -2 => "the section header table",
            _ => $"section {owner} ({sections[owner].Name})",
        };
    }

    /// <summary>
    /// The checks every table section gets (gABI "Sections"): sh_entsize is the entry size, sh_size a whole number
    /// of entries, and sh_link names the section the entries refer to. (The description of the table is made only for a
    /// message: this runs for every SHT_REL section, thousands in some objects.)
    /// </summary>
    private static void CheckTable(ElfSection table, int entrySize, uint linkType, string linkWhat, List<ElfSection> sections, ElfHeader h)
    {
        if (table.EntrySize != (ulong)entrySize)
        {
            throw new ElfFormatException(TableWhat(table), HeaderOffset(h, table.Index), $"sh_entsize {table.EntrySize} is not {entrySize}");
        }

        if (table.Size % (ulong)entrySize != 0)
        {
            throw new ElfFormatException(TableWhat(table), HeaderOffset(h, table.Index), $"sh_size {table.Size} is not a multiple of {entrySize}");
        }

        if (table.Link >= sections.Count || sections[(int)table.Link].Type != linkType)
        {
            throw new ElfFormatException(TableWhat(table), HeaderOffset(h, table.Index), $"sh_link {table.Link} does not name {linkWhat}");
        }
    }

    private static string TableWhat(ElfSection table) => $"section {table.Index} ({table.Name})";

    private static ElfSymbol[] ReadSymbols(ElfSection symtab, List<ElfSection> sections, ElfHeader h, EndianBytes e)
    {
        CheckTable(symtab, ElfConstants.SymbolSize, ElfConstants.ShtStrtab, "a string table", sections, h);

        int count = (int)(symtab.Size / ElfConstants.SymbolSize);
        if (symtab.Info > (uint)count)
        {
            throw new ElfFormatException(TableWhat(symtab), HeaderOffset(h, symtab.Index), $"sh_info {symtab.Info} exceeds the symbol count {count}");
        }

        var strtab = sections[(int)symtab.Link].Data;
        var result = new ElfSymbol[count];
        var bytes = symtab.Data;
        for (int i = 0; i < count; i++)
        {
            var s = bytes.Slice(i * ElfConstants.SymbolSize, ElfConstants.SymbolSize);
            long at = (long)symtab.Offset + ((long)i * ElfConstants.SymbolSize);
            uint nameOff = e.U32(s);
            if (!StringTable.TryGet(strtab, nameOff, out var name, StringTable.MaxSymbolName))
            {
                throw new ElfFormatException($"symbol {i}", at, $"st_name 0x{nameOff:x} {StringTable.Problem(strtab, nameOff, StringTable.MaxSymbolName)}");
            }

            ushort shndx = e.U16(s[6..]);
            if (i == 0 && shndx != ElfConstants.ShnUndef)
            {
                // ELF gABI, "Symbol Table": index 0 is STN_UNDEF, the entry no reference can name, with st_shndx
                // SHN_UNDEF. One that names a section would define code or data that nothing can relocate against.
                throw new ElfFormatException("symbol 0", at, $"st_shndx {shndx}: index 0 is STN_UNDEF and defines nothing");
            }

            if (shndx != ElfConstants.ShnUndef && shndx < ElfConstants.ShnLoReserve && shndx >= sections.Count)
            {
                throw new ElfFormatException($"symbol {i} ({name})", at, $"st_shndx {shndx} is out of range ({sections.Count} sections)");
            }

            if (shndx == ElfConstants.ShnXIndex)
            {
                throw new ElfFormatException($"symbol {i} ({name})", at, "SHN_XINDEX (extended section indices) is not supported");
            }

            var sym = new ElfSymbol
            {
                NameOffset = nameOff,
                Name = name,
                Info = s[4],
                Other = s[5],
                SectionIndex = shndx,
                Value = e.U64(s[8..]),
                Size = e.U64(s[16..]),
            };
            if (sym.Type == ElfConstants.SttSection && sym.HasSection && string.IsNullOrEmpty(name))
            {
                sym = sym with { Name = sections[shndx].Name };
            }

            result[i] = sym;
        }

        return result;
    }

    private static ElfRelocation[] ReadRelocations(ElfSection rel, List<ElfSection> sections, ElfHeader h, int symbolCount, EndianBytes e)
    {
        CheckTable(rel, ElfConstants.RelSize, ElfConstants.ShtSymtab, "the symbol table", sections, h);

        if (rel.Info == 0 || rel.Info >= sections.Count)
        {
            throw new ElfFormatException(TableWhat(rel), HeaderOffset(h, rel.Index), $"sh_info {rel.Info} does not name a section");
        }

        var target = sections[(int)rel.Info];
        if (target.Type is ElfConstants.ShtNull or ElfConstants.ShtRel or ElfConstants.ShtRela or ElfConstants.ShtSymtab)
        {
            // Relocations apply to contents (code, data, DWARF, BTF); ones on a table would be moved by any edit of it.
            throw new ElfFormatException(TableWhat(rel), HeaderOffset(h, rel.Index), $"sh_info {rel.Info} names section {target.Index} ({target.Name}), which is not one relocations can apply to");
        }

        int count = (int)(rel.Size / ElfConstants.RelSize);
        var result = new ElfRelocation[count];
        var bytes = rel.Data;
        for (int i = 0; i < count; i++)
        {
            var s = bytes.Slice(i * ElfConstants.RelSize, ElfConstants.RelSize);
            long at = (long)rel.Offset + ((long)i * ElfConstants.RelSize);
            ulong off = e.U64(s);
            ulong info = e.U64(s[8..]);
            uint sym = (uint)(info >> 32);
            if (sym >= (uint)symbolCount)
            {
                throw new ElfFormatException($"relocation {i} of {rel.Name}", at, $"symbol index {sym} is out of range ({symbolCount} symbols)");
            }

            if (target.Type != ElfConstants.ShtNobits && off >= target.Size)
            {
                throw new ElfFormatException($"relocation {i} of {rel.Name}", at, $"r_offset 0x{off:x} is past the end of {target.Name} (0x{target.Size:x} bytes)");
            }

            result[i] = new ElfRelocation(off, sym, (uint)info);
        }

        return result;
    }
}
