// SPDX-License-Identifier: MIT
namespace BpfFixup.Elf;

/// <summary>
/// Writes an <see cref="ElfFile"/>. Chunks (header, sections, section header table) keep their file order;
/// everything before the first changed chunk keeps its offset and its bytes, gaps included, so an unchanged
/// object writes back byte-identical. From the first changed chunk on, chunks are laid out again in file
/// order with their original alignment, and sh_offset, e_shoff and e_shnum are updated.
/// </summary>
public static class ElfWriter
{
    /// <summary>Serialises <paramref name="file"/>.</summary>
    public static byte[] Write(ElfFile file)
    {
        var header = file.Header;
        var original = file.Original;

        // Chunks in original file order. The section header table is a chunk with alignment 8.
        var chunks = new List<Chunk>();
        foreach (var s in file.Sections)
        {
            if (s.Index > 0 && s.Type != ElfConstants.ShtNull)
            {
                chunks.Add(new Chunk(s, s.Offset, s.HasFileData ? s.Size : 0, Math.Max(s.Alignment, 1)));
            }
        }

        ulong tableSize = (ulong)file.Sections.Count * ElfConstants.SectionHeaderSize;
        var table = new Chunk(null, header.SectionHeaderOffset, tableSize, 8);
        chunks.Add(table);
        chunks.Sort((a, b) => a.OriginalOffset != b.OriginalOffset ? a.OriginalOffset.CompareTo(b.OriginalOffset) : (a.Section?.Index ?? int.MaxValue).CompareTo(b.Section?.Index ?? int.MaxValue));

        ulong dirtyFrom = file.EarliestRemovedOffset;
        ulong originalTableSize = (ulong)header.SectionHeaderCount * ElfConstants.SectionHeaderSize;
        if (tableSize != originalTableSize)
        {
            dirtyFrom = Math.Min(dirtyFrom, header.SectionHeaderOffset);
        }

        foreach (var c in chunks)
        {
            if (c.Section is { IsModified: true })
            {
                dirtyFrom = Math.Min(dirtyFrom, c.OriginalOffset);
            }
        }

        // Lay out: chunks that start before the first change stay; the rest follow in order.
        ulong cursor = ElfConstants.HeaderSize;
        ulong keptEnd = ElfConstants.HeaderSize;
        foreach (var c in chunks)
        {
            if (c.Section is { HasFileData: false })
            {
                // SHT_NOBITS occupies no bytes: its sh_offset (unchecked on read, any value) stays as read before
                // the first change and follows the layout after it, but never moves the layout itself.
                c.NewOffset = c.OriginalOffset < dirtyFrom ? c.OriginalOffset : Align(cursor, c.Alignment);
                continue;
            }

            if (c.OriginalOffset < dirtyFrom)
            {
                c.NewOffset = c.OriginalOffset;
                keptEnd = Math.Max(keptEnd, c.OriginalOffset + c.Size);
                cursor = Math.Max(cursor, keptEnd);
            }
            else
            {
                cursor = Align(cursor, c.Alignment);
                c.NewOffset = cursor;
                cursor += c.Size;
            }
        }

        ulong total = cursor;
        bool unchanged = dirtyFrom == ulong.MaxValue;
        if (unchanged)
        {
            total = Math.Max(total, (ulong)original.Length);
        }

        var output = new byte[total];
        // Keep every original byte before the first change: gaps and padding survive unchanged.
        ulong keep = Math.Min(unchanged ? (ulong)original.Length : dirtyFrom, (ulong)original.Length);
        original.AsSpan(0, (int)Math.Min(keep, total)).CopyTo(output);

        var newOffsets = new ulong[file.Sections.Count];
        foreach (var c in chunks)
        {
            if (c.Section is { } s)
            {
                newOffsets[s.Index] = c.NewOffset;
                if (s.HasFileData && s.Size > 0)
                {
                    s.Data.CopyTo(output.AsSpan((int)c.NewOffset));
                }
            }
        }

        // The model is not changed by writing: offsets as laid out go to the output only.
        WriteHeader(file, output, table.NewOffset, (ushort)file.Sections.Count);
        for (int i = 0; i < file.Sections.Count; i++)
        {
            var s = file.Sections[i];
            ulong offset = i == 0 || s.Type == ElfConstants.ShtNull ? s.Offset : newOffsets[i];
            WriteSectionHeader(file, s, offset, output.AsSpan((int)table.NewOffset + (i * ElfConstants.SectionHeaderSize), ElfConstants.SectionHeaderSize));
        }

        return output;
    }

    private static ulong Align(ulong value, ulong alignment) => alignment <= 1 ? value : (value + alignment - 1) & ~(alignment - 1);

    private static void WriteHeader(ElfFile file, Span<byte> b, ulong sectionHeaderOffset, ushort sectionCount)
    {
        var h = file.Header;
        var e = file.Endian;
        h.Ident.CopyTo(b);
        e.U16(b[16..], h.Type);
        e.U16(b[18..], h.Machine);
        e.U32(b[20..], h.Version);
        e.U64(b[24..], h.Entry);
        e.U64(b[32..], h.ProgramHeaderOffset);
        e.U64(b[40..], sectionHeaderOffset);
        e.U32(b[48..], h.Flags);
        e.U16(b[52..], h.HeaderSize);
        e.U16(b[54..], h.ProgramHeaderEntrySize);
        e.U16(b[56..], h.ProgramHeaderCount);
        e.U16(b[58..], h.SectionHeaderEntrySize);
        e.U16(b[60..], sectionCount);
        e.U16(b[62..], h.SectionNameTableIndex);
    }

    private static void WriteSectionHeader(ElfFile file, ElfSection s, ulong offset, Span<byte> b)
    {
        var e = file.Endian;
        e.U32(b, s.NameOffset);
        e.U32(b[4..], s.Type);
        e.U64(b[8..], s.Flags);
        e.U64(b[16..], s.Address);
        e.U64(b[24..], offset);
        e.U64(b[32..], s.Size);
        e.U32(b[40..], s.Link);
        e.U32(b[44..], s.Info);
        e.U64(b[48..], s.Alignment);
        e.U64(b[56..], s.EntrySize);
    }

    private sealed class Chunk(ElfSection? section, ulong originalOffset, ulong size, ulong alignment)
    {
        public ElfSection? Section { get; } = section;

        public ulong OriginalOffset { get; } = originalOffset;

        public ulong Size { get; } = size;

        public ulong Alignment { get; } = alignment;

        public ulong NewOffset { get; set; }
    }
}
