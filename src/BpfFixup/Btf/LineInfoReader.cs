// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Elf;

namespace BpfFixup.Btf;

/// <summary>Reads the fields of a bpf_line_info record (include/uapi/linux/bpf.h: file_name_off, line_off, line_col).</summary>
public static class LineInfoReader
{
    /// <summary>
    /// The most of a source line shown (bytes); a longer one ends in <c>...</c>. Every line_info record may name
    /// the same long line: shown in full, a few bytes of records would print it thousands of times.
    /// </summary>
    public const int MaxSourceLine = 512;

    /// <summary>BPF_LINE_INFO_LINE_NUM: line_col &gt;&gt; 10.</summary>
    public static int LineNumber(uint lineCol) => (int)(lineCol >> 10);

    /// <summary>BPF_LINE_INFO_LINE_COL: line_col &amp; 0x3ff.</summary>
    public static int Column(uint lineCol) => (int)(lineCol & 0x3ff);

    /// <summary>The source location a line_info record names, with file names reduced to what BTF holds.</summary>
    public static SourceLocation Resolve(BtfExtRecord record, BtfInfo btf, EndianBytes e)
    {
        var rest = record.Rest.AsSpan();
        uint fileOff = e.U32(rest);
        uint lineOff = e.U32(rest[4..]);
        uint lineCol = e.U32(rest[8..]);
        string file = btf.GetName(fileOff, StringTable.MaxSectionName) ?? "?";
        string? text = btf.GetName(lineOff, MaxSourceLine) ?? (btf.GetPrefix(lineOff, MaxSourceLine) is { } prefix ? prefix + "..." : null);
        return new SourceLocation(file, LineNumber(lineCol), Column(lineCol), string.IsNullOrEmpty(text) ? null : text);
    }

    /// <summary>The type id of a bpf_func_info record.</summary>
    public static int FuncTypeId(BtfExtRecord record, EndianBytes e) => (int)e.U32(record.Rest);
}
