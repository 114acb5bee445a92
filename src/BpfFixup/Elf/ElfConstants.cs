// SPDX-License-Identifier: MIT
namespace BpfFixup.Elf;

/// <summary>ELF constants used here (System V gABI, include/uapi/linux/elf.h).</summary>
public static class ElfConstants
{
    public const int IdentSize = 16;
    public const int HeaderSize = 64;
    public const int SectionHeaderSize = 64;
    public const int SymbolSize = 24;
    public const int RelSize = 16;
    public const int RelaSize = 24;

    public const byte ElfClass64 = 2;

    /// <summary>EV_CURRENT, the one ELF version (e_ident[EI_VERSION] and e_version).</summary>
    public const byte EvCurrent = 1;
    public const ushort EtRel = 1;
    /// <summary>EM_BPF (gABI machine number 247).</summary>
    public const ushort EmBpf = 247;
    /// <summary>EM_NONE, written by very old LLVM for BPF.</summary>
    public const ushort EmNone = 0;

    public const uint ShtNull = 0;
    public const uint ShtProgbits = 1;
    public const uint ShtSymtab = 2;
    public const uint ShtStrtab = 3;
    public const uint ShtRela = 4;
    public const uint ShtNobits = 8;
    public const uint ShtRel = 9;
    /// <summary>SHT_LLVM_ADDRSIG (llvm/BinaryFormat/ELF.h).</summary>
    public const uint ShtLlvmAddrsig = 0x6fff4c03;

    public const ulong ShfWrite = 0x1;
    public const ulong ShfAlloc = 0x2;
    public const ulong ShfExecInstr = 0x4;
    public const ulong ShfInfoLink = 0x40;

    public const ushort ShnUndef = 0;
    public const ushort ShnLoReserve = 0xff00;
    public const ushort ShnAbs = 0xfff1;
    public const ushort ShnCommon = 0xfff2;
    public const ushort ShnXIndex = 0xffff;

    public const byte StbLocal = 0;
    public const byte StbGlobal = 1;
    public const byte StbWeak = 2;

    public const byte SttNoType = 0;
    public const byte SttObject = 1;
    public const byte SttFunc = 2;
    public const byte SttSection = 3;
    public const byte SttFile = 4;
}
