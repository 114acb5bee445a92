// SPDX-License-Identifier: MIT
namespace BpfFixup.Elf;

/// <summary>One Elf64_Sym, with its name resolved from the linked string table.</summary>
public readonly record struct ElfSymbol
{
    /// <summary>st_name: offset into the linked string table.</summary>
    public uint NameOffset { get; init; }

    /// <summary>The name read at <see cref="NameOffset"/>.</summary>
    public string Name { get; init; }

    /// <summary>st_info: binding (high nibble) and type (low nibble).</summary>
    public byte Info { get; init; }

    /// <summary>st_other: visibility.</summary>
    public byte Other { get; init; }

    /// <summary>st_shndx: the section index, or a reserved index.</summary>
    public ushort SectionIndex { get; init; }

    /// <summary>st_value: byte offset within the section for a relocatable object.</summary>
    public ulong Value { get; init; }

    /// <summary>st_size.</summary>
    public ulong Size { get; init; }

    /// <summary>STB_* binding.</summary>
    public byte Binding => (byte)(Info >> 4);

    /// <summary>STT_* type.</summary>
    public byte Type => (byte)(Info & 0xf);

    /// <summary>True for an undefined symbol (SHN_UNDEF), such as an extern kfunc.</summary>
    public bool IsUndefined => SectionIndex == ElfConstants.ShnUndef;

    /// <summary>True when the section index names a real section.</summary>
    public bool HasSection => SectionIndex != ElfConstants.ShnUndef && SectionIndex < ElfConstants.ShnLoReserve;

    /// <summary>Builds st_info from binding and type.</summary>
    public static byte MakeInfo(byte binding, byte type) => (byte)((binding << 4) | (type & 0xf));
}
