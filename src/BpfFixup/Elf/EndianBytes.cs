// SPDX-License-Identifier: MIT
using System.Buffers.Binary;

namespace BpfFixup.Elf;

/// <summary>Reads and writes multi-byte fields in a file's byte order (ELF EI_DATA).</summary>
public readonly struct EndianBytes(ByteOrder order)
{
    /// <summary>The byte order.</summary>
    public ByteOrder Order { get; } = order;

    private bool Little => Order == ByteOrder.Little;

    public ushort U16(ReadOnlySpan<byte> b) => Little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);

    public uint U32(ReadOnlySpan<byte> b) => Little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);

    public ulong U64(ReadOnlySpan<byte> b) => Little ? BinaryPrimitives.ReadUInt64LittleEndian(b) : BinaryPrimitives.ReadUInt64BigEndian(b);

    public void U16(Span<byte> b, ushort v)
    {
        if (Little) { BinaryPrimitives.WriteUInt16LittleEndian(b, v); } else { BinaryPrimitives.WriteUInt16BigEndian(b, v); }
    }

    public void U32(Span<byte> b, uint v)
    {
        if (Little) { BinaryPrimitives.WriteUInt32LittleEndian(b, v); } else { BinaryPrimitives.WriteUInt32BigEndian(b, v); }
    }

    public void U64(Span<byte> b, ulong v)
    {
        if (Little) { BinaryPrimitives.WriteUInt64LittleEndian(b, v); } else { BinaryPrimitives.WriteUInt64BigEndian(b, v); }
    }
}
