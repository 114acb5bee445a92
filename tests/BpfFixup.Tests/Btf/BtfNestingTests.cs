// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using BpfFixup.Btf;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Btf;

/// <summary>Typedef and modifier chains are followed as far as the kernel's MAX_RESOLVE_DEPTH (32), no further (issue 8).</summary>
public class BtfNestingTests
{
    /// <summary>.BTF with [1] int, then <paramref name="typedefs"/> typedefs each naming the one before; [last] a typedef cycle of two.</summary>
    private static BtfInfo Chain(int typedefs)
    {
        var types = new List<byte>();
        void Type(uint name, uint kind, uint sizeOrType, params uint[] extra)
        {
            foreach (uint v in new[] { name, kind << 24, sizeOrType }.Concat(extra))
            {
                var b = new byte[4];
                BinaryPrimitives.WriteUInt32LittleEndian(b, v);
                types.AddRange(b);
            }
        }

        Type(1, 1, 4, 32); // [1] int, 32 bits
        for (int i = 0; i < typedefs; i++)
        {
            Type(5, 8, (uint)(i + 1)); // [i + 2] typedef t -> [i + 1]
        }

        int cycle = typedefs + 2;
        Type(5, 8, (uint)(cycle + 1)); // [cycle] typedef -> [cycle + 1]
        Type(5, 11, (uint)cycle); // [cycle + 1] const -> [cycle]
        var strings = "\0int\0t\0"u8.ToArray();
return BtfBytes.Parse([.. types], strings);
    }

    [Fact]
    public void Thirty_two_typedefs_resolve()
    {
        var btf = Chain(BtfInfo.MaxResolveDepth);
        Assert.Equal(BtfKind.Int, btf.Resolve(BtfInfo.MaxResolveDepth + 1)?.Kind);
    }

    [Fact]
    public void Thirty_three_typedefs_do_not()
    {
        var btf = Chain(BtfInfo.MaxResolveDepth + 1);
        Assert.Null(btf.Resolve(BtfInfo.MaxResolveDepth + 2));
        Assert.Equal(BtfKind.Int, btf.Resolve(BtfInfo.MaxResolveDepth + 1)?.Kind);
    }

    [Fact]
    public void A_cycle_of_modifiers_ends()
    {
        var btf = Chain(1);
        Assert.Null(btf.Resolve(3));
    }
}
