// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Elf;

namespace BpfFixup.Btf;

/// <summary>Reads the fields of a bpf_line_info record (include/uapi/linux/bpf.h: file_name_off, line_off, line_col).</summary>
public static class LineInfoReader
{
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
        string file = btf.GetString(fileOff) ?? "?";
        string? text = btf.GetString(lineOff);
        return new SourceLocation(file, LineNumber(lineCol), Column(lineCol), string.IsNullOrEmpty(text) ? null : text);
    }

    /// <summary>The type id of a bpf_func_info record.</summary>
    public static int FuncTypeId(BtfExtRecord record, EndianBytes e) => (int)e.U32(record.Rest);
}
