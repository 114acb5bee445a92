// SPDX-License-Identifier: MIT
namespace BpfFixup.Elf;

/// <summary>One Elf64_Rel (BPF uses SHT_REL; any addend lives in the instruction's imm).</summary>
/// <param name="Offset">r_offset: byte offset within the target section.</param>
/// <param name="SymbolIndex">ELF64_R_SYM(r_info).</param>
/// <param name="Type">ELF64_R_TYPE(r_info), see <see cref="BpfRelocationType"/>.</param>
public readonly record struct ElfRelocation(ulong Offset, uint SymbolIndex, uint Type)
{
    /// <summary>The typed relocation kind.</summary>
    public BpfRelocationType Kind => (BpfRelocationType)Type;

    /// <summary>r_info as stored.</summary>
    public ulong Info => ((ulong)SymbolIndex << 32) | Type;
}
