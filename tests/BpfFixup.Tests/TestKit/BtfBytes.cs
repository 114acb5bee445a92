// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using BpfFixup.Btf;
using BpfFixup.Elf;

namespace BpfFixup.Tests.TestKit;

/// <summary>A little-endian .BTF section from raw type and string bytes (Documentation/bpf/btf.rst §2: struct btf_header).</summary>
internal static class BtfBytes
{
    /// <summary>Header (version 1, hdr_len 24), the types, then the strings; parsed.</summary>
    public static BtfInfo Parse(byte[] types, byte[] strings) => BtfInfo.Parse(Raw(types, strings), ByteOrder.Little);

    /// <summary>Header (version 1, hdr_len 24), the types, then the strings: a raw BTF blob.</summary>
    public static byte[] Raw(byte[] types, byte[] strings)
    {
        var data = new byte[24 + types.Length + strings.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(data, 0xeb9f);
        data[2] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), 24);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(12), (uint)types.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(16), (uint)types.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(20), (uint)strings.Length);
        types.CopyTo(data, 24);
        strings.CopyTo(data, 24 + types.Length);
        return data;
    }
}
