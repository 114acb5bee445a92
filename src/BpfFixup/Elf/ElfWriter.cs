// SPDX-License-Identifier: MIT
using System.Diagnostics.CodeAnalysis;

namespace BpfFixup.Elf;

/// <summary>
/// Writes an <see cref="ElfFile"/>. Chunks (header, sections, section header table) keep their file order;
/// everything before the first changed chunk keeps its offset and its bytes, gaps included, so an unchanged
/// object writes back byte-identical. From the first changed chunk on, chunks are laid out again in file
/// order with their original alignment, and sh_offset, e_shoff and e_shnum are updated.
/// </summary>
/// <remarks>
/// The layout cannot amplify: the padding put before a chunk is at most the gap the input itself had before
/// that chunk, or <see cref="PaddingAlways"/> bytes when that is more. When a chunk's sh_addralign needs more,
/// it gets the largest smaller power of two that fits (never less than 8, so every Elf64 structure stays
/// naturally aligned, which is all libelf's readers need: elfutils <c>__libelf_type_align</c>; for ET_REL the
/// file offset of a section is not its address, gABI "Sections"). Real objects (clang lays each section at its
/// alignment) never hit the cap. So the output's padding is at most the input's size plus 7 bytes per chunk,
/// each of which has a 64-byte section header in the input: the output is at most its contents plus 1.11
/// times the input. An input whose sections claim 64 KiB alignment but are packed stays packed, instead of
/// growing 65536-fold.
/// </remarks>
public static class ElfWriter
{
    /// <summary>Padding always allowed before a chunk: enough for 8-byte alignment.</summary>
    public const ulong PaddingAlways = 7;

    /// <summary>Serialises <paramref name="file"/>; throws when it cannot be laid out (see <see cref="TryWrite"/>).</summary>
    public static byte[] Write(ElfFile file) =>
        TryWrite(file, out var output, out var error) ? output : throw new InvalidOperationException(error);

    /// <summary>Serialises <paramref name="file"/>; false with the reason when the output would exceed the largest array.</summary>
    public static bool TryWrite(ElfFile file, [NotNullWhen(true)] out byte[]? output, [NotNullWhen(false)] out string? error) =>
        TryWrite(file, produce: true, out output, out error);

    /// <summary>
    /// Lays <paramref name="file"/> out and, when <paramref name="produce"/>, serialises it; without, only says whether it
    /// can be written (<paramref name="output"/> is then empty): the same refusals, no output buffer.
    /// </summary>
    internal static bool TryWrite(ElfFile file, bool produce, [NotNullWhen(true)] out byte[]? output, [NotNullWhen(false)] out string? error)
    {
        var header = file.Header;
        var original = file.Original;
        output = null;
        error = null;
        if (file.Sections.Count >= ElfConstants.ShnLoReserve)
        {
            error = $"{file.Sections.Count} sections do not fit e_shnum (SHN_LORESERVE 0x{ElfConstants.ShnLoReserve:x})";
            return false;
        }

        // Chunks in original file order. The section header table is a chunk with alignment 8.
        var chunks = new List<Chunk>();
        foreach (var s in file.Sections)
        {
            if (s.Index > 0 && s.Type != ElfConstants.ShtNull)
            {
                chunks.Add(new Chunk(s, s.Offset, s.HasFileData ? s.Size : 0, s.HasFileData ? s.SizeAsRead : 0, Math.Max(s.Alignment, 1)));
            }
        }

        ulong tableSize = (ulong)file.Sections.Count * ElfConstants.SectionHeaderSize;
        ulong originalTableSize = (ulong)header.SectionHeaderCount * ElfConstants.SectionHeaderSize;
        var table = new Chunk(null, header.SectionHeaderOffset, tableSize, originalTableSize, 8);
        chunks.Add(table);
        chunks.Sort((a, b) => a.OriginalOffset != b.OriginalOffset ? a.OriginalOffset.CompareTo(b.OriginalOffset) : (a.Section?.Index ?? int.MaxValue).CompareTo(b.Section?.Index ?? int.MaxValue));

        ulong dirtyFrom = file.EarliestRemovedOffset;
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

        // Lay out: chunks that start before the first change stay; the rest follow in order. Every offset and
        // size was checked against the input by the reader, so the sums below stay far from overflow; the total
        // is checked against the largest array at the end.
        ulong cursor = ElfConstants.HeaderSize;
        ulong keptEnd = ElfConstants.HeaderSize;
        ulong inputEnd = ElfConstants.HeaderSize; // where the previous chunk ended in the input
        foreach (var c in chunks)
        {
            if (c.Section is { HasFileData: false })
            {
                // SHT_NOBITS occupies no bytes: its sh_offset (unchecked on read, any value) stays as read before
                // the first change and follows the layout after it, but never moves the layout itself.
                c.NewOffset = c.OriginalOffset < dirtyFrom ? c.OriginalOffset : Align(cursor, c.Alignment);
                continue;
            }

            ulong inputGap = c.OriginalOffset > inputEnd ? c.OriginalOffset - inputEnd : 0;
            inputEnd = Math.Max(inputEnd, c.OriginalOffset + c.InputSize);
            if (c.OriginalOffset < dirtyFrom)
            {
                c.NewOffset = c.OriginalOffset;
                keptEnd = Math.Max(keptEnd, c.OriginalOffset + c.Size);
                cursor = Math.Max(cursor, keptEnd);
            }
            else
            {
                cursor = AlignWithin(cursor, c.Alignment, Math.Max(inputGap, PaddingAlways));
                c.NewOffset = cursor;
                cursor = checked(cursor + c.Size);
            }
        }

        ulong total = cursor;
        bool unchanged = dirtyFrom == ulong.MaxValue;
        if (unchanged)
        {
            total = Math.Max(total, (ulong)original.Length);
        }

        if (total > (ulong)Array.MaxLength)
        {
            error = $"the output would be {total} bytes, more than the {Array.MaxLength} this tool can write";
            return false;
        }

        if (!produce)
        {
            output = [];
            return true;
        }

        var bytes = new byte[total];
        // Keep every original byte before the first change: gaps and padding survive unchanged.
        ulong keep = Math.Min(unchanged ? (ulong)original.Length : dirtyFrom, (ulong)original.Length);
        original.AsSpan(0, (int)Math.Min(keep, total)).CopyTo(bytes);

        var newOffsets = new ulong[file.Sections.Count];
        foreach (var c in chunks)
        {
            if (c.Section is { } s)
            {
                newOffsets[s.Index] = c.NewOffset;
                if (s.HasFileData && s.Size > 0)
                {
                    s.WriteTo(bytes.AsSpan((int)c.NewOffset, (int)s.Size));
                }
            }
        }

        // The model is not changed by writing: offsets as laid out go to the output only.
        WriteHeader(file, bytes, table.NewOffset, (ushort)file.Sections.Count);
        for (int i = 0; i < file.Sections.Count; i++)
        {
            var s = file.Sections[i];
            ulong offset = i == 0 || s.Type == ElfConstants.ShtNull ? s.Offset : newOffsets[i];
            WriteSectionHeader(file, s, offset, bytes.AsSpan((int)table.NewOffset + (i * ElfConstants.SectionHeaderSize), ElfConstants.SectionHeaderSize));
        }

        output = bytes;
        return true;
    }

    /// <summary>
    /// <paramref name="value"/> aligned to <paramref name="alignment"/>, or to the largest smaller power of two
    /// whose padding is at most <paramref name="budget"/>.
    /// </summary>
    private static ulong AlignWithin(ulong value, ulong alignment, ulong budget)
    {
        for (ulong a = alignment; a > 1; a >>= 1)
        {
            ulong aligned = Align(value, a);
            if (aligned - value <= budget)
            {
                return aligned;
            }
        }

        return value;
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

    private sealed class Chunk(ElfSection? section, ulong originalOffset, ulong size, ulong inputSize, ulong alignment)
    {
        public ElfSection? Section { get; } = section;

        public ulong OriginalOffset { get; } = originalOffset;

        public ulong Size { get; } = size;

        public ulong InputSize { get; } = inputSize;

        public ulong Alignment { get; } = alignment;

        public ulong NewOffset { get; set; }
    }
}
