// SPDX-License-Identifier: MIT
using BpfFixup.Elf;

namespace BpfFixup.Btf;

/// <summary>
/// The parsed <c>.BTF.ext</c> section (tools/lib/bpf/libbpf_internal.h <c>struct btf_ext_header</c>):
/// func_info, line_info and core_relo. Records are found by section name and byte offset, never by counting
/// (cilium/ebpf #2103).
/// </summary>
public sealed class BtfExt
{
    /// <summary>Known record sizes (struct bpf_func_info, bpf_line_info, bpf_core_relo).</summary>
    public const int FuncInfoSize = 8;
    public const int LineInfoSize = 16;
    public const int CoreReloSize = 16;

    private byte[] header = [];

    /// <summary>func_info records.</summary>
    public BtfExtSubsection FuncInfo { get; private set; } = new() { RecordSize = FuncInfoSize };

    /// <summary>line_info records.</summary>
    public BtfExtSubsection LineInfo { get; private set; } = new() { RecordSize = LineInfoSize };

    /// <summary>core_relo records; null when the header is too short to have them.</summary>
    public BtfExtSubsection? CoreRelo { get; private set; }

    /// <summary>
    /// A copy whose records can be moved and added to (the patcher's), leaving this one as loaded: no second parse of
    /// the section. The records' bytes after insn_off are shared (they are never written).
    /// </summary>
    internal BtfExt CloneForEdit() => new()
    {
        header = header,
        FuncInfo = Clone(FuncInfo),
        LineInfo = Clone(LineInfo),
        CoreRelo = CoreRelo is null ? null : Clone(CoreRelo),
    };

    private static BtfExtSubsection Clone(BtfExtSubsection sub) => new()
    {
        RecordSize = sub.RecordSize,
        Sections = [.. sub.Sections.Select(g => new BtfExtSection
        {
            SectionNameOffset = g.SectionNameOffset,
            SectionName = g.SectionName,
            Records = [.. g.Records.Select(r => new BtfExtRecord(r.InsnOff, r.Rest, r.OriginalFieldOffset))],
        })],
    };

    /// <summary>Parses .BTF.ext bytes; <paramref name="btf"/> resolves section names.</summary>
    internal static BtfExt Parse(ReadOnlySpan<byte> data, ByteOrder order, BtfInfo btf)
    {
        var e = new EndianBytes(order);
        if (data.Length < 24)
        {
            throw new BtfFormatException("BTF.ext header", 0, $"truncated: {data.Length} bytes, need 24");
        }

        ushort magic = e.U16(data);
        if (magic != 0xeb9f)
        {
            throw new BtfFormatException("BTF.ext header", 0, $"bad magic 0x{magic:x4}");
        }

        uint hdrLen = e.U32(data[4..]);
        if (hdrLen < 24 || hdrLen > (uint)data.Length)
        {
            throw new BtfFormatException("BTF.ext header", 4, $"hdr_len {hdrLen} is out of range");
        }

        var ext = new BtfExt { header = data[..(int)hdrLen].ToArray() };
        ext.FuncInfo = ParseSub(data, e, hdrLen, e.U32(data[8..]), e.U32(data[12..]), "func_info", FuncInfoSize, btf);
        ext.LineInfo = ParseSub(data, e, hdrLen, e.U32(data[16..]), e.U32(data[20..]), "line_info", LineInfoSize, btf);
        if (hdrLen >= 32)
        {
            ext.CoreRelo = ParseSub(data, e, hdrLen, e.U32(data[24..]), e.U32(data[28..]), "core_relo", CoreReloSize, btf);
        }

        return ext;
    }

    private static BtfExtSubsection ParseSub(ReadOnlySpan<byte> data, EndianBytes e, uint hdrLen, uint off, uint len, string what, int minSize, BtfInfo btf)
    {
        if (len == 0)
        {
            return new BtfExtSubsection { RecordSize = (uint)minSize };
        }

        ulong start = hdrLen + (ulong)off;
        if (start > (ulong)data.Length || len > (ulong)data.Length - start)
        {
            throw new BtfFormatException($"BTF.ext {what}", (long)Math.Min(start, int.MaxValue), $"{what}_off {off} + {what}_len {len} exceeds the section ({data.Length} bytes)");
        }

        if (len < 4)
        {
            throw new BtfFormatException($"BTF.ext {what}", (long)start, "too short for rec_size");
        }

        var sub = data.Slice((int)start, (int)len);
        uint recSize = e.U32(sub);
        if (recSize < minSize || recSize > 1024 || recSize % 4 != 0)
        {
            throw new BtfFormatException($"BTF.ext {what}", (long)start, $"rec_size {recSize} is invalid (at least {minSize}, a multiple of 4)");
        }

        var result = new BtfExtSubsection { RecordSize = recSize };
        int at = 4;
        while (at < sub.Length)
        {
            long where = (long)start + at;
            if (sub.Length - at < 8)
            {
                throw new BtfFormatException($"BTF.ext {what} section group", where, "truncated group header");
            }

            uint nameOff = e.U32(sub[at..]);
            uint count = e.U32(sub[(at + 4)..]);
            at += 8;
            string name = btf.GetName(nameOff, StringTable.MaxSectionName)
                ?? throw new BtfFormatException($"BTF.ext {what} section group", where, $"sec_name_off {nameOff} is outside the BTF string section, unterminated or longer than {StringTable.MaxSectionName} bytes");
            if (count > (uint)(sub.Length - at) / recSize)
            {
                throw new BtfFormatException($"BTF.ext {what} group '{name}'", where, $"num_info {count} records of {recSize} bytes exceed the subsection");
            }

            var group = new BtfExtSection { SectionNameOffset = nameOff, SectionName = name };
            for (int i = 0; i < count; i++)
            {
                var rec = sub.Slice(at, (int)recSize);
                group.Records.Add(new BtfExtRecord(e.U32(rec), rec[4..].ToArray(), (int)start + at));
                at += (int)recSize;
            }

            result.Sections.Add(group);
        }

        return result;
    }

    /// <summary>
    /// Serialises the records: header as read (offsets and lengths updated), then func_info, line_info and
    /// core_relo back to back. <paramref name="fieldPositions"/> receives, for every record, the new offset
    /// of its insn_off field keyed by the original field offset (for .rel.BTF.ext).
    /// </summary>
    public byte[] Write(ByteOrder order, Dictionary<int, int> fieldPositions, List<(int NewFieldOffset, string SectionName)> addedFields)
    {
        var e = new EndianBytes(order);
        var subs = new List<BtfExtSubsection> { FuncInfo, LineInfo };
        if (CoreRelo is not null)
        {
            subs.Add(CoreRelo);
        }

        var bodies = new List<byte[]>();
        int hdr = header.Length;
        int cursor = hdr;
        foreach (var sub in subs)
        {
            var body = WriteSub(sub, e, cursor, fieldPositions, addedFields);
            bodies.Add(body);
            cursor += body.Length;
        }

        var output = new byte[cursor];
        header.CopyTo(output, 0);
        int rel = 0;
        for (int i = 0; i < bodies.Count; i++)
        {
            e.U32(output.AsSpan(8 + (i * 8)), (uint)rel);
            e.U32(output.AsSpan(12 + (i * 8)), (uint)bodies[i].Length);
            bodies[i].CopyTo(output, hdr + rel);
            rel += bodies[i].Length;
        }

        return output;
    }

    private static byte[] WriteSub(BtfExtSubsection sub, EndianBytes e, int baseOffset, Dictionary<int, int> fieldPositions, List<(int, string)> addedFields)
    {
        if (sub.Sections.Count == 0)
        {
            return [];
        }

        int size = 4 + sub.Sections.Sum(s => 8 + (s.Records.Count * (int)sub.RecordSize));
        var bytes = new byte[size];
        e.U32(bytes, sub.RecordSize);
        int at = 4;
        foreach (var group in sub.Sections)
        {
            e.U32(bytes.AsSpan(at), group.SectionNameOffset);
            e.U32(bytes.AsSpan(at + 4), (uint)group.Records.Count);
            at += 8;
            foreach (var r in group.Records)
            {
                e.U32(bytes.AsSpan(at), r.InsnOff);
                r.Rest.CopyTo(bytes, at + 4);
                if (r.OriginalFieldOffset >= 0)
                {
                    fieldPositions[r.OriginalFieldOffset] = baseOffset + at;
                }
                else
                {
                    addedFields.Add((baseOffset + at, group.SectionName));
                }

                at += (int)sub.RecordSize;
            }
        }

        return bytes;
    }
}
