// SPDX-License-Identifier: MIT
namespace BpfFixup.Elf;

/// <summary>
/// One section: its Elf64_Shdr fields and its bytes. Untouched sections keep their original offset and
/// bytes, so an unchanged file writes back byte-identical (LibObjectFile's chunk idea).
/// </summary>
public sealed class ElfSection
{
    // A slice of the file's one buffer as read (no copy per section: issue 8's memory bound), or the array
    // given to SetData.
    private ReadOnlyMemory<byte> data;

    // Contents given by SetContent, produced straight into the writer's buffer (or on first read of Data).
    private SpanAction? content;

    /// <summary>Writes a section's contents into a span of exactly its size.</summary>
    public delegate void SpanAction(Span<byte> destination);

    internal ElfSection(ReadOnlyMemory<byte> data) => this.data = data;

    /// <summary>Index in the section header table.</summary>
    public int Index { get; internal set; }

    /// <summary>The name, read from the section name string table.</summary>
    public required string Name { get; init; }

    /// <summary>sh_name.</summary>
    public uint NameOffset { get; set; }

    /// <summary>sh_type.</summary>
    public uint Type { get; set; }

    /// <summary>sh_flags.</summary>
    public ulong Flags { get; set; }

    /// <summary>sh_addr.</summary>
    public ulong Address { get; set; }

    /// <summary>sh_offset as read (or as laid out by the last write).</summary>
    public ulong Offset { get; set; }

    /// <summary>sh_size. For SHT_NOBITS this is not the length of <see cref="Data"/>.</summary>
    public ulong Size { get; set; }

    /// <summary>sh_size as read from the input: the writer bounds alignment padding by the input's own layout.</summary>
    internal ulong SizeAsRead { get; init; }

    /// <summary>sh_link.</summary>
    public uint Link { get; set; }

    /// <summary>sh_info.</summary>
    public uint Info { get; set; }

    /// <summary>sh_addralign.</summary>
    public ulong Alignment { get; set; }

    /// <summary>sh_entsize.</summary>
    public ulong EntrySize { get; set; }

    /// <summary>True once <see cref="SetData"/> replaced the contents.</summary>
    public bool IsModified { get; private set; }

    /// <summary>The section's bytes (empty for SHT_NOBITS).</summary>
    public ReadOnlySpan<byte> Data
    {
        get
        {
            if (content is { } write)
            {
                var bytes = new byte[Size];
                write(bytes);
                data = bytes;
                content = null;
            }

            return data.Span;
        }
    }

    /// <summary>The section's bytes as a memory (the model reads its instructions from it without a copy).</summary>
    internal ReadOnlyMemory<byte> Memory => data;

    /// <summary>True when the section occupies bytes in the file.</summary>
    public bool HasFileData => Type is not ElfConstants.ShtNobits and not ElfConstants.ShtNull;

    /// <summary>True for an executable PROGBITS section (a code section).</summary>
    public bool IsCode => Type == ElfConstants.ShtProgbits && (Flags & ElfConstants.ShfExecInstr) != 0;

    /// <summary>A copy with the same header fields and data (<see cref="ElfFile.CloneForEdit"/>).</summary>
    internal ElfSection Clone() => (ElfSection)MemberwiseClone();

    /// <summary>Replaces the contents and updates sh_size.</summary>
    public void SetData(byte[] bytes)
    {
        data = bytes;
        content = null;
        Size = (ulong)bytes.Length;
        IsModified = true;
    }

    /// <summary>
    /// Replaces the contents by <paramref name="size"/> bytes that <paramref name="write"/> produces when the file is
    /// written, into the output itself (or when <see cref="Data"/> is first read): no array of its own for a section
    /// the writer only copies. <paramref name="write"/> must fill every byte of the span it is given.
    /// </summary>
    public void SetContent(int size, SpanAction write)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        data = default;
        content = write;
        Size = (ulong)size;
        IsModified = true;
    }

    /// <summary>Writes the contents into <paramref name="destination"/>, which is <see cref="Size"/> bytes long.</summary>
    internal void WriteTo(Span<byte> destination)
    {
        if (content is { } write)
        {
            write(destination);
        }
        else
        {
            data.Span.CopyTo(destination);
        }
    }
}
