// SPDX-License-Identifier: MIT
using BpfFixup.Elf;

namespace BpfFixup.Model;

/// <summary>A relocation attached to the instruction it patches (cilium/ebpf's per-instruction metadata idea).</summary>
/// <remarks>
/// Holds only its position in its SHT_REL section and that section's table (shared by all its entries); the entry and
/// its symbol are read from the loaded file when asked for. One per relocated instruction, so its size counts (issue 8's
/// memory bound): a copy of the entry and the symbol here was 80 bytes each, 19 MB for 1.6M slots. A 16-byte value
/// held inline in its section's array (<see cref="InstructionRelocations"/>), not an object (issue 11: 116,296 of them in
/// a 9.4 MB object were 4.8 MB as objects and their references, 1.9 MB as values).
/// </remarks>
public readonly record struct ObjectRelocation
{
    private readonly RelocationTable table;

    internal ObjectRelocation(RelocationTable table, int entryIndex)
    {
        this.table = table;
        EntryIndex = entryIndex;
    }

    /// <summary>The entry as stored.</summary>
    public ElfRelocation Raw => table.Entries[EntryIndex];

    /// <summary>Position of the entry in its SHT_REL section.</summary>
    public int EntryIndex { get; }

    /// <summary>The SHT_REL section holding the entry.</summary>
    public ElfSection RelSection => table.Section;

    /// <summary>The symbol it refers to.</summary>
    public ElfSymbol Symbol => table.Symbols[(int)Raw.SymbolIndex];

    /// <summary>The relocation type.</summary>
    public BpfRelocationType Type => Raw.Kind;

    /// <summary>The symbol's name (a section symbol's name is its section's name).</summary>
    public string SymbolName => Symbol.Name;

    /// <summary>llvm-objdump -r form: <c>0000000000000010:  R_BPF_64_32	bpf_session_is_return</c>.</summary>
    public string Describe() => $"{Raw.Offset:x16}:  {BpfRelocationTypeNames.NameOf(Raw.Type)}\t{SymbolName}";
}

/// <summary>One SHT_REL section of a loaded file as its <see cref="ObjectRelocation"/>s read it: its entries and the symbols they name, as loaded.</summary>
/// <param name="Section">The SHT_REL section.</param>
/// <param name="Entries">Its entries (<see cref="ElfFile.GetRelocations"/> at load; later edits of a copy make new arrays).</param>
/// <param name="Symbols">The file's symbols at load.</param>
internal sealed record RelocationTable(ElfSection Section, ElfRelocation[] Entries, ElfSymbol[] Symbols)
{
    /// <summary>The table of <paramref name="rel"/> with its loaded <paramref name="entries"/> and <paramref name="symbols"/> (the arrays the file holds, not copies).</summary>
    public static RelocationTable Of(ElfSection rel, IReadOnlyList<ElfRelocation> entries, ElfSymbol[] symbols) =>
        new(rel, entries as ElfRelocation[] ?? [.. entries], symbols);
}
