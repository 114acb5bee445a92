// SPDX-License-Identifier: MIT
namespace BpfFixup.Elf;

/// <summary>BPF relocation types (llvm/BinaryFormat/ELFRelocs/BPF.def; Documentation/bpf/llvm_reloc.rst).</summary>
public enum BpfRelocationType : uint
{
    /// <summary>R_BPF_NONE.</summary>
    None = 0,
    /// <summary>R_BPF_64_64: ld_imm64 of a map, global or function address.</summary>
    R64_64 = 1,
    /// <summary>R_BPF_64_ABS64: 64-bit data (DWARF).</summary>
    R64_Abs64 = 2,
    /// <summary>R_BPF_64_ABS32: 32-bit data (DWARF, .BTF .ksyms).</summary>
    R64_Abs32 = 3,
    /// <summary>R_BPF_64_NODYLD32: 32-bit data not resolved by a dynamic loader (.BTF, .BTF.ext).</summary>
    R64_NoDyld32 = 4,
    /// <summary>R_BPF_64_32: call imm (bpf-to-bpf and kfunc calls).</summary>
    R64_32 = 10,
}

/// <summary>Names of relocation types as llvm-objdump prints them.</summary>
public static class BpfRelocationTypeNames
{
    /// <summary>The LLVM name, e.g. <c>R_BPF_64_32</c>; unknown types print as <c>Unknown (N)</c>.</summary>
    public static string NameOf(uint type) => type switch
    {
        0 => "R_BPF_NONE",
        1 => "R_BPF_64_64",
        2 => "R_BPF_64_ABS64",
        3 => "R_BPF_64_ABS32",
        4 => "R_BPF_64_NODYLD32",
        10 => "R_BPF_64_32",
        _ => $"Unknown ({type})",
    };
}
