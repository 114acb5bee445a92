// SPDX-License-Identifier: MIT
namespace BpfFixup.Elf;

/// <summary>Elf64_Ehdr fields. e_shoff, e_shnum and e_shstrndx are recomputed by the writer.</summary>
public sealed class ElfHeader
{
    /// <summary>e_ident (16 bytes), kept verbatim.</summary>
    public required byte[] Ident { get; init; }

    public ushort Type { get; set; }

    public ushort Machine { get; set; }

    public uint Version { get; set; }

    public ulong Entry { get; set; }

    public ulong ProgramHeaderOffset { get; set; }

    public ulong SectionHeaderOffset { get; set; }

    public uint Flags { get; set; }

    public ushort HeaderSize { get; set; }

    public ushort ProgramHeaderEntrySize { get; set; }

    public ushort ProgramHeaderCount { get; set; }

    public ushort SectionHeaderEntrySize { get; set; }

    public ushort SectionHeaderCount { get; set; }

    public ushort SectionNameTableIndex { get; set; }

    /// <summary>A copy to edit (<see cref="ElfFile.CloneForEdit"/>); e_ident is never written, so it is shared.</summary>
    internal ElfHeader Clone() => (ElfHeader)MemberwiseClone();
}
