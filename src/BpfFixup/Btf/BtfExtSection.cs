// SPDX-License-Identifier: MIT
namespace BpfFixup.Btf;

/// <summary>A group of .BTF.ext records for one ELF section (<c>struct btf_ext_info_sec</c>).</summary>
public sealed class BtfExtSection
{
    /// <summary>sec_name_off: offset into the .BTF string section naming the ELF section.</summary>
    public required uint SectionNameOffset { get; init; }

    /// <summary>The ELF section name read at <see cref="SectionNameOffset"/>.</summary>
    public required string SectionName { get; init; }

    /// <summary>The records in order.</summary>
    public List<BtfExtRecord> Records { get; init; } = [];
}
