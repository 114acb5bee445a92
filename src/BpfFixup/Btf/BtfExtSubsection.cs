// SPDX-License-Identifier: MIT
namespace BpfFixup.Btf;

/// <summary>One of func_info, line_info, core_relo: a record size and per-section groups.</summary>
public sealed class BtfExtSubsection
{
    /// <summary>rec_size as read (8, 16, 16 today).</summary>
    public required uint RecordSize { get; init; }

    /// <summary>Groups in file order.</summary>
    public List<BtfExtSection> Sections { get; init; } = [];

    private Dictionary<string, List<BtfExtSection>>? byName;
    private int byNameCount = -1;

    /// <summary>The first group for ELF section <paramref name="name"/>, or null.</summary>
    public BtfExtSection? For(string name) => Groups(name) is { } groups ? groups[0] : null;

    /// <summary>Every group for ELF section <paramref name="name"/>, in file order (none: empty).</summary>
    public IReadOnlyList<BtfExtSection> AllFor(string name) => Groups(name) ?? (IReadOnlyList<BtfExtSection>)[];

    /// <remarks>A map built once (and again if <see cref="Sections"/> changed length), not a scan per question: it is
    /// asked per code section and per function, which made that cost sections x groups (issue 11).</remarks>
    private List<BtfExtSection>? Groups(string name)
    {
        if (byName is null || byNameCount != Sections.Count)
        {
            var map = new Dictionary<string, List<BtfExtSection>>(StringComparer.Ordinal);
            foreach (var s in Sections)
            {
                if (!map.TryGetValue(s.SectionName, out var list))
                {
                    map[s.SectionName] = list = [];
                }

                list.Add(s);
            }

            byName = map;
            byNameCount = Sections.Count;
        }

        return byName.GetValueOrDefault(name);
    }

    /// <summary>Total number of records.</summary>
    public int Count => Sections.Sum(s => s.Records.Count);
}
