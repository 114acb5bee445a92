// SPDX-License-Identifier: MIT
using BpfFixup.Btf;
using BpfFixup.Diagnostics;
using BpfFixup.Model;

namespace BpfFixup.Rendering;

/// <summary>
/// The line_info records of one code section keyed by the slot where they start, built once so a listing
/// does not scan all records per instruction (<see cref="BpfObject.LineAt"/> does).
/// </summary>
internal sealed class LineInfoIndex
{
    private static readonly LineInfoIndex Empty = new(null, null, default);

    private readonly Dictionary<int, BtfExtRecord>? bySlot;
    private readonly BtfInfo? btf;
    private readonly Elf.EndianBytes endian;

    private LineInfoIndex(Dictionary<int, BtfExtRecord>? bySlot, BtfInfo? btf, Elf.EndianBytes endian)
    {
        this.bySlot = bySlot;
        this.btf = btf;
        this.endian = endian;
    }

    /// <summary>Indexes the line_info group of <paramref name="section"/> (empty when the object has none).</summary>
    public static LineInfoIndex For(BpfObject obj, CodeSection section)
    {
        if (obj.Btf is null || obj.BtfExt?.LineInfo.For(section.Name) is not { } group || group.Records.Count == 0)
        {
            return Empty;
        }

        var map = new Dictionary<int, BtfExtRecord>(group.Records.Count);
        foreach (var r in group.Records)
        {
            // A record must name an instruction start: byte offsets not a multiple of 8 or out of range are ignored.
            if (r.InsnOff % 8 == 0 && r.InsnOff / 8 < (uint)section.SlotCount && r.Rest.Length >= 12)
            {
                map.TryAdd((int)(r.InsnOff / 8), r);
            }
        }

        return new LineInfoIndex(map, obj.Btf, obj.Elf.Endian);
    }

    /// <summary>The source location whose line_info record starts at <paramref name="slot"/>, or null.</summary>
    public SourceLocation? At(int slot) =>
        bySlot is not null && btf is not null && bySlot.TryGetValue(slot, out var r) ? LineInfoReader.Resolve(r, btf, endian) : null;
}
