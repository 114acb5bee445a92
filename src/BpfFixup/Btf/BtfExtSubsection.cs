// SPDX-License-Identifier: MIT
namespace BpfFixup.Btf;

/// <summary>One of func_info, line_info, core_relo: a record size and per-section groups.</summary>
public sealed class BtfExtSubsection
{
    /// <summary>rec_size as read (8, 16, 16 today).</summary>
    public required uint RecordSize { get; init; }

    /// <summary>Groups in file order.</summary>
    public List<BtfExtSection> Sections { get; init; } = [];

    /// <summary>The group for ELF section <paramref name="name"/>, or null.</summary>
    public BtfExtSection? For(string name) => Sections.Find(s => s.SectionName == name);

    /// <summary>Total number of records.</summary>
    public int Count => Sections.Sum(s => s.Records.Count);
}
