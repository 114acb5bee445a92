// SPDX-License-Identifier: MIT
using BpfFixup.Elf;

namespace BpfFixup.Btf;

/// <summary>
/// The parsed <c>.BTF</c> section: its string section and its types (Documentation/bpf/btf.rst §2).
/// Enough to name functions, find kfunc externs in the <c>.ksyms</c> DATASEC and read prototypes.
/// Split BTF (a kernel module's, /sys/kernel/btf/&lt;module&gt;) sits on a base: its type ids continue after the
/// base's last id and its string offsets after the base's string section (libbpf btf.c <c>btf_new</c>:
/// <c>start_id = btf__type_cnt(base)</c>, <c>start_str_off = base-&gt;hdr-&gt;str_len + base-&gt;start_str_off</c>;
/// <c>btf_type_by_id</c> and <c>btf__str_by_offset</c> defer to the base below those).
/// </summary>
public sealed class BtfInfo
{
    private readonly byte[] strings;
    private readonly BtfInfo? baseBtf;
    private readonly List<BtfType> own;
    private readonly Dictionary<string, BtfType> funcsByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BtfType> typedefsByName = new(StringComparer.Ordinal);
    private readonly Dictionary<(uint Target, int Component), List<string>> declTags = [];

    private BtfInfo(byte[] strings, List<BtfType> types, BtfInfo? baseBtf)
    {
        this.strings = strings;
        this.baseBtf = baseBtf;
        own = types;
        Types = types;
        StartId = NextId(baseBtf);
        StartStrOff = NextStrOff(baseBtf);
        // Indexed once: the analysis asks per function and per parameter, and a scan per question would cost
        // functions x types.
        foreach (var t in types)
        {
            if (t.Kind == BtfKind.Func)
            {
                funcsByName.TryAdd(t.Name, t);
            }
            else if (t.Kind == BtfKind.Typedef)
            {
                typedefsByName.TryAdd(t.Name, t);
            }
            else if (t.Kind == BtfKind.DeclTag)
            {
                if (!declTags.TryGetValue((t.SizeOrType, t.Extra), out var list))
                {
                    list = [];
                    declTags[(t.SizeOrType, t.Extra)] = list;
                }

                list.Add(t.Name);
            }
        }
    }

    /// <summary>
    /// The types this BTF holds itself, in id order: for base BTF index 0 is a placeholder for void; for split BTF
    /// the first is id <see cref="StartId"/>.
    /// </summary>
    public IReadOnlyList<BtfType> Types { get; }

    /// <summary>The id of <see cref="Types"/>' first entry: 0 for base BTF, the base's type count for split BTF.</summary>
    public int StartId { get; }

    /// <summary>The string offset where this BTF's own string section begins: 0, or the base's string length.</summary>
    public uint StartStrOff { get; }

    /// <summary>The base this split BTF sits on, or null.</summary>
    public BtfInfo? Base => baseBtf;

    /// <summary>The string at <paramref name="offset"/> of the BTF string section, or null when out of range.</summary>
    public string? GetString(uint offset) =>
        offset < StartStrOff ? baseBtf!.GetString(offset) : StringTable.TryGet(strings, offset - StartStrOff, out var s) ? s : null;

    /// <summary>
    /// The first <paramref name="length"/> bytes of the string at <paramref name="offset"/> when it is longer than
    /// that (cut at a character boundary), or null.
    /// </summary>
    public string? GetPrefix(uint offset, int length)
    {
        if (offset < StartStrOff)
        {
            return baseBtf!.GetPrefix(offset, length);
        }

        offset -= StartStrOff;
        if (offset >= (uint)strings.Length || strings.Length - (int)offset <= length)
        {
            return null;
        }

        var window = strings.AsSpan((int)offset, length);
        if (window.IndexOf((byte)0) >= 0)
        {
            return null;
        }

        // Do not split a UTF-8 sequence: back off over continuation bytes.
        int end = length;
        while (end > 0 && (window[end - 1] & 0xc0) == 0x80)
        {
            end--;
        }

        if (end > 0 && window[end - 1] >= 0xc0)
        {
            end--;
        }

        return Text.RawUtf8.Decode(window[..end]);
    }

    /// <summary>The name at <paramref name="offset"/> (at most <paramref name="maxLength"/> bytes), or null.</summary>
    public string? GetName(uint offset, int maxLength) =>
        offset < StartStrOff ? baseBtf!.GetName(offset, maxLength) : StringTable.TryGet(strings, offset - StartStrOff, out var s, maxLength) ? s : null;

    /// <summary>The type with id <paramref name="id"/> (in the base when below <see cref="StartId"/>), or null.</summary>
    public BtfType? Get(int id) =>
        id <= 0 ? null : id < StartId ? baseBtf!.Get(id) : id - StartId < own.Count ? own[id - StartId] : null;

    /// <summary>Every FUNC type this BTF holds itself (not its base's), in id order.</summary>
    public IEnumerable<BtfType> Funcs => Types.Where(t => t.Kind == BtfKind.Func);

    /// <summary>
    /// The first FUNC type called <paramref name="name"/> in id order (the base's first, as libbpf's
    /// <c>btf__find_by_name_kind</c> searches from id 1), or null.
    /// </summary>
    public BtfType? FindFunc(string name) => baseBtf?.FindFunc(name) ?? FindOwnFunc(name);

    /// <summary>The first FUNC type called <paramref name="name"/> among this BTF's own types (libbpf <c>btf__find_by_name_kind_own</c>), or null.</summary>
    public BtfType? FindOwnFunc(string name) => funcsByName.GetValueOrDefault(name);

    /// <summary>The first TYPEDEF called <paramref name="name"/> among this BTF's own types, or null.</summary>
    public BtfType? FindOwnTypedef(string name) => typedefsByName.GetValueOrDefault(name);

    /// <summary>The DECL_TAG names attached to parameter <paramref name="index"/> of FUNC <paramref name="funcId"/> (e.g. <c>arg:ctx</c>).</summary>
    public IEnumerable<string> ParameterTags(int funcId, int index)
    {
        var mine = funcId >= 0 && declTags.TryGetValue(((uint)funcId, index), out var tags) ? tags : [];
        return baseBtf is null ? mine : baseBtf.ParameterTags(funcId, index).Concat(mine);
    }

    /// <summary>
    /// How many typedefs and modifiers the kernel follows before it gives up on a type (kernel/bpf/btf.c
    /// <c>MAX_RESOLVE_DEPTH</c>, 32: <c>env_stack_push</c> returns -E2BIG beyond it).
    /// </summary>
    public const int MaxResolveDepth = 32;

    /// <summary>
    /// The type <paramref name="id"/> refers to once typedefs and modifiers (const, volatile, restrict, type tags)
    /// are skipped; null when it is void, out of range or nested deeper than <see cref="MaxResolveDepth"/>.
    /// </summary>
    public BtfType? Resolve(int id)
    {
        for (int guard = 0; guard <= MaxResolveDepth; guard++)
        {
            var t = Get(id);
            if (t is not { Kind: BtfKind.Typedef or BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag })
            {
                return t;
            }

            id = (int)t.SizeOrType;
        }

        return null;
    }

    /// <summary>Names of the FUNC entries of the <c>.ksyms</c> DATASEC: the kfuncs the object declares.</summary>
    public IReadOnlySet<string> KsymFuncs()
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in Types)
        {
            if (t.Kind == BtfKind.DataSec && t.Name == ".ksyms")
            {
                foreach (var (type, _, _) in t.SecInfos)
                {
                    if (Get(type) is { Kind: BtfKind.Func } f)
                    {
                        result.Add(f.Name);
                    }
                }
            }
        }

        return result;
    }

    /// <summary>Number of parameters of FUNC <paramref name="func"/>'s prototype, or -1.</summary>
    public int ParameterCount(BtfType func) => Get((int)func.SizeOrType) is { Kind: BtfKind.FuncProto } p ? p.VLen : -1;

    /// <summary>The first type id of split BTF on <paramref name="b"/> (libbpf <c>btf__type_cnt(base)</c>); 0 without a base.</summary>
    private static int NextId(BtfInfo? b) => b is null ? 0 : b.StartId + b.own.Count;

    /// <summary>The first string offset of split BTF on <paramref name="b"/>; 0 without a base.</summary>
    private static uint NextStrOff(BtfInfo? b) => b is null ? 0 : b.StartStrOff + (uint)b.strings.Length;

    /// <summary>
    /// Where the string section of the raw BTF <paramref name="data"/> lies (file offset, length), or null when the
    /// header does not say so within the data (<see cref="Parse"/> then names the fault).
    /// </summary>
    internal static (long Offset, int Length)? StringSection(ReadOnlySpan<byte> data, ByteOrder order)
    {
        var e = new EndianBytes(order);
        if (data.Length < 24 || e.U16(data) != 0xeb9f)
        {
            return null;
        }

        uint hdrLen = e.U32(data[4..]), strOff = e.U32(data[16..]), strLen = e.U32(data[20..]);
        ulong start = (ulong)hdrLen + strOff;
        return hdrLen >= 24 && start + strLen <= (ulong)data.Length ? ((long)start, (int)strLen) : null;
    }

    /// <summary>How many bytes <see cref="CheckHeader"/> looks at: <c>struct btf_header</c> (include/uapi/linux/btf.h).</summary>
    internal const int HeaderCheckSize = 24;

    /// <summary>
    /// Checks <c>struct btf_header</c> of a blob of <paramref name="length"/> bytes from its first bytes
    /// <paramref name="head"/>, as <see cref="Parse"/> does (libbpf <c>btf_parse_hdr</c>): the magic, hdr_len, and
    /// both sections inside the blob. How a raw BTF file is judged before the rest of it is read.
    /// </summary>
    /// <exception cref="BtfFormatException">The header is malformed.</exception>
    internal static (uint HdrLen, uint TypeOff, uint TypeLen, uint StrOff, uint StrLen) CheckHeader(ReadOnlySpan<byte> head, long length, ByteOrder order)
    {
        var e = new EndianBytes(order);
        if (head.Length < HeaderCheckSize)
        {
            throw new BtfFormatException("BTF header", 0, $"truncated: {length} bytes, need 24");
        }

        ushort magic = e.U16(head);
        if (magic != 0xeb9f)
        {
            throw new BtfFormatException("BTF header", 0, $"bad magic 0x{magic:x4} (expected 0xeb9f in the object's byte order)");
        }

        uint hdrLen = e.U32(head[4..]);
        uint typeOff = e.U32(head[8..]);
        uint typeLen = e.U32(head[12..]);
        uint strOff = e.U32(head[16..]);
        uint strLen = e.U32(head[20..]);
        if (hdrLen < 24 || hdrLen > length)
        {
            throw new BtfFormatException("BTF header", 4, $"hdr_len {hdrLen} is out of range");
        }

        long body = length - hdrLen;
        if (typeOff > body || typeLen > body - typeOff)
        {
            throw new BtfFormatException("BTF type section", hdrLen + (long)typeOff, $"type_off {typeOff} + type_len {typeLen} exceeds the section");
        }

        if (strOff > body || strLen > body - strOff)
        {
            throw new BtfFormatException("BTF string section", hdrLen + (long)strOff, $"str_off {strOff} + str_len {strLen} exceeds the section");
        }

        return (hdrLen, typeOff, typeLen, strOff, strLen);
    }

    /// <summary>Parses a .BTF section's bytes; split BTF on <paramref name="baseBtf"/> when that is given.</summary>
    internal static BtfInfo Parse(ReadOnlySpan<byte> data, ByteOrder order, BtfInfo? baseBtf = null)
    {
        var e = new EndianBytes(order);
        var (hdrLen, typeOff, typeLen, strOff, strLen) = CheckHeader(data, data.Length, order);
        var body = data[(int)hdrLen..];
        var strs = body.Slice((int)strOff, (int)strLen).ToArray();
        var typeData = body.Slice((int)typeOff, (int)typeLen);
        var types = baseBtf is null ? new List<BtfType> { new() { Id = 0, Kind = BtfKind.Unknown, Name = "void", VLen = 0, SizeOrType = 0 } } : [];
        int startId = NextId(baseBtf);
        uint startStrOff = NextStrOff(baseBtf);
        // Split BTF's own strings begin at startStrOff; below it a name is the base's (libbpf btf__str_by_offset).
        bool TryString(uint off, out string value) => off < startStrOff
            ? (value = baseBtf!.GetName(off, StringTable.MaxSymbolName)!) is not null
            : StringTable.TryGet(strs, off - startStrOff, out value, StringTable.MaxSymbolName);
        string StringProblem(uint off) => off < startStrOff
            ? "names a string of the base BTF that is unterminated or too long"
            : baseBtf is not null && off - startStrOff >= (uint)strs.Length
                ? $"is outside the base's and this split BTF's strings (they end at {startStrOff + (uint)strs.Length}): not split BTF of this base"
                : StringTable.Problem(strs, off - startStrOff, StringTable.MaxSymbolName);
        int at = 0;
        while (at < typeData.Length)
        {
            long where = hdrLen + typeOff + at;
            int id = startId + types.Count;
            if (typeData.Length - at < 12)
            {
                throw new BtfFormatException($"BTF type [{id}]", where, "truncated type header");
            }

            uint nameOff = e.U32(typeData[at..]);
            uint info = e.U32(typeData[(at + 4)..]);
            uint sizeType = e.U32(typeData[(at + 8)..]);
            at += 12;
            var kind = (BtfKind)((info >> 24) & 0x1f);
            int vlen = (int)(info & 0xffff);
            if (!TryString(nameOff, out var name))
            {
                throw new BtfFormatException($"BTF type [{id}]", where, $"name_off {nameOff} {StringProblem(nameOff)}");
            }

            int extra = kind switch
            {
                BtfKind.Int or BtfKind.Var or BtfKind.DeclTag => 4,
                BtfKind.Array => 12,
                BtfKind.Struct or BtfKind.Union => 12 * vlen,
                BtfKind.Enum => 8 * vlen,
                BtfKind.FuncProto => 8 * vlen,
                BtfKind.DataSec => 12 * vlen,
                BtfKind.Enum64 => 12 * vlen,
                BtfKind.Ptr or BtfKind.Fwd or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
                    or BtfKind.Func or BtfKind.Float or BtfKind.TypeTag => 0,
                _ => throw new BtfFormatException($"BTF type [{id}]", where, $"unknown kind {(int)kind}"),
            };
            if (typeData.Length - at < extra)
            {
                throw new BtfFormatException($"BTF type [{id}] ({name})", where, $"{kind} needs {extra} more bytes than the type section holds");
            }

            var tail = typeData.Slice(at, extra);
            var members = new List<(string, int)>();
            var secInfos = new List<(int, uint, uint)>();
            var enumerators = new List<(string, ulong)>();
            if (kind is BtfKind.FuncProto or BtfKind.Struct or BtfKind.Union)
            {
                int step = kind == BtfKind.FuncProto ? 8 : 12;
                for (int i = 0; i < vlen; i++)
                {
                    var m = tail[(i * step)..];
                    if (!TryString(e.U32(m), out var mName))
                    {
                        mName = string.Empty;
                    }

                    members.Add((mName, (int)e.U32(m[4..])));
                }
            }
            else if (kind is BtfKind.Enum or BtfKind.Enum64)
            {
                int step = kind == BtfKind.Enum ? 8 : 12;
                for (int i = 0; i < vlen; i++)
                {
                    var m = tail[(i * step)..];
                    if (!TryString(e.U32(m), out var eName))
                    {
                        eName = string.Empty;
                    }

                    ulong value = kind == BtfKind.Enum ? e.U32(m[4..]) : ((ulong)e.U32(m[8..]) << 32) | e.U32(m[4..]);
                    enumerators.Add((eName, value));
                }
            }
            else if (kind == BtfKind.DataSec)
            {
                for (int i = 0; i < vlen; i++)
                {
                    var m = tail[(i * 12)..];
                    secInfos.Add(((int)e.U32(m), e.U32(m[4..]), e.U32(m[8..])));
                }
            }

            int extraWord = extra == 4 ? (int)e.U32(tail) : 0;
            at += extra;
            types.Add(new BtfType
            {
                Id = id,
                Kind = kind,
                Name = name,
                VLen = vlen,
                KindFlag = (info >> 31) != 0,
                SizeOrType = sizeType,
                Members = members,
                Extra = extraWord,
                SecInfos = secInfos,
                Enumerators = enumerators,
                ElementType = kind == BtfKind.Array ? e.U32(tail) : 0,
            });
        }

        return new BtfInfo(strs, types, baseBtf);
    }
}
