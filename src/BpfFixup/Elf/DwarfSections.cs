// SPDX-License-Identifier: MIT
namespace BpfFixup.Elf;

/// <summary>
/// Which sections are DWARF, by libbpf's rule (tools/lib/bpf/libbpf.c <c>is_sec_name_dwarf</c>, used by
/// <c>ignore_elf_section</c> in <c>bpf_object__elf_collect</c>): a name starting with <c>.debug_</c>, and for
/// relocations <c>.rel</c> followed by such a name. libbpf ignores every such section whatever its type or flags, and
/// <c>patch</c> drops them when code moves.
/// </summary>
public static class DwarfSections
{
    private const string Prefix = ".debug_";
    private const string RelPrefix = ".rel";

    /// <summary>True for a name libbpf treats as DWARF (<c>.debug_*</c>), or as DWARF relocations (<c>.rel.debug_*</c>).</summary>
    public static bool IsDwarfName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.StartsWith(Prefix, StringComparison.Ordinal)
            || (name.StartsWith(RelPrefix, StringComparison.Ordinal) && name.AsSpan(RelPrefix.Length).StartsWith(Prefix, StringComparison.Ordinal));
    }

    /// <summary>
    /// True for a section <c>patch</c> drops as DWARF: named <c>.debug_*</c>, and never the symbol table, a string
    /// table or the section name table, whatever they are called (libbpf finds the symbol table before it ignores
    /// anything; dropping a table would leave the output without its symbols or names).
    /// </summary>
    public static bool IsDropped(ElfFile elf, ElfSection section)
    {
        ArgumentNullException.ThrowIfNull(elf);
        ArgumentNullException.ThrowIfNull(section);
        return section.Name.StartsWith(Prefix, StringComparison.Ordinal)
            && section.Type is not (ElfConstants.ShtSymtab or ElfConstants.ShtStrtab)
            && section.Index != elf.Header.SectionNameTableIndex;
    }
}
