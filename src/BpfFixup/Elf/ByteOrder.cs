// SPDX-License-Identifier: MIT
namespace BpfFixup.Elf;

/// <summary>Byte order of an object file and its instruction stream (ELF EI_DATA).</summary>
public enum ByteOrder : byte
{
    /// <summary>ELFDATA2LSB, clang <c>-target bpfel</c>.</summary>
    Little = 1,

    /// <summary>ELFDATA2MSB, clang <c>-target bpfeb</c>.</summary>
    Big = 2,
}
