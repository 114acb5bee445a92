// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Text;

namespace BpfFixup.Tests.TestKit;

/// <summary>
/// A small raw kernel BTF file (what /sys/kernel/btf/vmlinux holds: struct btf_header, types, strings;
/// Documentation/bpf/btf.rst §2), built type by type. Ids start at 1 in the order types are added; split BTF
/// (a module's) built on a base continues the base's ids and string offsets, and its strings do not begin with
/// the empty string (libbpf btf__new_empty_split).
/// </summary>
internal sealed class KernelBtfBytes
{
    private readonly List<byte> types = [];
    private readonly List<byte> strings;
    private readonly int startStrOff;
    private int next;

    public KernelBtfBytes()
    {
        strings = [0];
        next = 1;
    }

    /// <summary>Split BTF on top of <paramref name="baseBtf"/> (as it is now: add no more types to it).</summary>
    public KernelBtfBytes(KernelBtfBytes baseBtf)
    {
        strings = [];
        next = baseBtf.next;
        startStrOff = baseBtf.startStrOff + baseBtf.strings.Count;
    }

    /// <summary>BTF_KIND_INT of <paramref name="size"/> bytes (signed when <paramref name="signed"/>).</summary>
    public int Int(string name, int size, bool signed = true) => Add(name, 1, 0, (uint)size, (signed ? 1u << 24 : 0) | (uint)(size * 8));

    /// <summary>BTF_KIND_PTR to <paramref name="type"/> (0: void).</summary>
    public int Ptr(int type) => Add(string.Empty, 2, 0, (uint)type);

    /// <summary>BTF_KIND_STRUCT with no members.</summary>
    public int Struct(string name, int size) => Add(name, 4, 0, (uint)size);

    /// <summary>BTF_KIND_FUNC_PROTO returning <paramref name="ret"/> with the given parameters.</summary>
    public int Proto(int ret, params (string Name, int Type)[] parameters)
    {
        var extra = new List<uint>();
        foreach (var (name, type) in parameters)
        {
            extra.Add(Str(name));
            extra.Add((uint)type);
        }

        return Add(string.Empty, 13, parameters.Length, (uint)ret, [.. extra]);
    }

    /// <summary>BTF_KIND_TYPEDEF <paramref name="name"/> of <paramref name="type"/>.</summary>
    public int Typedef(string name, int type) => Add(name, 8, 0, (uint)type);

    /// <summary>BTF_KIND_FUNC (static linkage, as in vmlinux) of prototype <paramref name="proto"/>.</summary>
    public int Func(string name, int proto) => Add(name, 12, 0, (uint)proto);

    /// <summary>The file's bytes, little-endian.</summary>
    public byte[] Build() => BtfBytes.Raw([.. types], [.. strings]);

    private uint Str(string s)
    {
        if (s.Length == 0)
        {
            return 0;
        }

        uint at = (uint)(startStrOff + strings.Count);
        strings.AddRange(Encoding.UTF8.GetBytes(s + "\0"));
        return at;
    }

    private int Add(string name, int kind, int vlen, uint sizeOrType, params uint[] extra)
    {
        Span<byte> word = stackalloc byte[4];
        foreach (uint w in (uint[])[Str(name), ((uint)kind << 24) | (uint)vlen, sizeOrType, .. extra])
        {
            BinaryPrimitives.WriteUInt32LittleEndian(word, w);
            types.AddRange(word.ToArray());
        }

        return next++;
    }
}
