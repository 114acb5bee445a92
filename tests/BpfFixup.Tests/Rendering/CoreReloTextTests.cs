// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Text;
using BpfFixup.Btf;
using BpfFixup.Elf;
using BpfFixup.Rendering;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Rendering;

/// <summary>CO-RE access strings are read and followed only as far as libbpf would (issue 8).</summary>
public class CoreReloTextTests
{
    /// <summary>[1] struct s { s m; } (a struct containing itself through member 0), and the access string.</summary>
    private static BtfInfo Btf(string access)
    {
        var strings = Encoding.ASCII.GetBytes("\0s\0m\0" + access + "\0");
        var types = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(types, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(types.AsSpan(4), (4u << 24) | 1); // STRUCT, vlen 1
        BinaryPrimitives.WriteUInt32LittleEndian(types.AsSpan(8), 8);
        BinaryPrimitives.WriteUInt32LittleEndian(types.AsSpan(12), 3); // member "m"
        BinaryPrimitives.WriteUInt32LittleEndian(types.AsSpan(16), 1); // of type [1]
        return BtfBytes.Parse(types, strings);
    }

    private static string Render(string access)
    {
        var rest = new byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(rest, 1); // type [1]
        BinaryPrimitives.WriteUInt32LittleEndian(rest.AsSpan(4), 5); // access string
        BinaryPrimitives.WriteUInt32LittleEndian(rest.AsSpan(8), 0); // FIELD_BYTE_OFFSET
        var sb = new StringBuilder();
        CoreReloText.Append(sb, new BtfExtRecord(0, rest, 0), Btf(access), new EndianBytes(ByteOrder.Little));
        return sb.ToString();
    }

    [Fact]
    public void A_member_chain_of_64_components_is_named_as_llvm_objdump_does()
    {
        string access = "0" + string.Concat(Enumerable.Repeat(":0", 63));
        Assert.Equal("<byte_off> [1] struct s::m" + string.Concat(Enumerable.Repeat(".m", 62)) + " (" + access + ")", Render(access));
    }

    [Fact]
    public void More_components_than_libbpf_reads_end_in_the_failure_form()
    {
        string access = "0" + string.Concat(Enumerable.Repeat(":0", 100));
        Assert.Equal("<byte_off> [1] '" + access + "' <more than 64 access string components (libbpf BPF_CORE_SPEC_MAX_LEN)>", Render(access));
    }

    [Fact]
    public void An_access_string_longer_than_libbpf_reads_is_not_followed()
    {
        string access = "0" + string.Concat(Enumerable.Repeat(":0", 100_000));
        Assert.Equal("<byte_off> [1] '" + access[..CoreReloText.MaxAccessString] + "...' <access string longer than 1024 bytes>", Render(access));
    }

    [Fact]
    public void A_typedef_cycle_ends_in_the_failure_form_where_llvm_objdump_would_loop()
    {
        // [1] typedef a -> [2], [2] typedef b -> [1]; the access string "0:0" at offset 5.
        var strings = Encoding.ASCII.GetBytes("\0a\0b\00:0\0");
        var types = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(types, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(types.AsSpan(4), 8u << 24); // TYPEDEF
        BinaryPrimitives.WriteUInt32LittleEndian(types.AsSpan(8), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(types.AsSpan(12), 3);
        BinaryPrimitives.WriteUInt32LittleEndian(types.AsSpan(16), 8u << 24);
        BinaryPrimitives.WriteUInt32LittleEndian(types.AsSpan(20), 1);
        var rest = new byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(rest, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(rest.AsSpan(4), 5);
        var sb = new StringBuilder();
        CoreReloText.Append(sb, new BtfExtRecord(0, rest, 0), BtfBytes.Parse(types, strings), new EndianBytes(ByteOrder.Little));
        Assert.Equal("<byte_off> [1] '0:0' <typedef and modifier chain longer than 32 (kernel MAX_RESOLVE_DEPTH)>", sb.ToString());
    }
}
