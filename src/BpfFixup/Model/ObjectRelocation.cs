// SPDX-License-Identifier: MIT
using BpfFixup.Elf;

namespace BpfFixup.Model;

/// <summary>A relocation attached to the instruction it patches (cilium/ebpf's per-instruction metadata idea).</summary>
public sealed record ObjectRelocation
{
    /// <summary>The entry as stored.</summary>
    public required ElfRelocation Raw { get; init; }

    /// <summary>Position of the entry in its SHT_REL section.</summary>
    public required int EntryIndex { get; init; }

    /// <summary>The SHT_REL section holding the entry.</summary>
    public required ElfSection RelSection { get; init; }

    /// <summary>The symbol it refers to.</summary>
    public required ElfSymbol Symbol { get; init; }

    /// <summary>The relocation type.</summary>
    public BpfRelocationType Type => Raw.Kind;

    /// <summary>The symbol's name (a section symbol's name is its section's name).</summary>
    public string SymbolName => Symbol.Name;

    /// <summary>llvm-objdump -r form: <c>0000000000000010:  R_BPF_64_32	bpf_session_is_return</c>.</summary>
    public string Describe() => $"{Raw.Offset:x16}:  {BpfRelocationTypeNames.NameOf(Raw.Type)}\t{SymbolName}";
}
