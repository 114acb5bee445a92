// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text;
using BpfFixup.Btf;
using BpfFixup.Elf;

namespace BpfFixup.Rendering;

/// <summary>
/// Renders a bpf_core_relo record (insn_off, type_id, access_str_off, kind) as llvm-objdump-19 -dr does after
/// <c>CO-RE </c>: the text of llvm/lib/DebugInfo/BTF/BTFParser.cpp <c>BTFParser::symbolize(const
/// BTF::BPFFieldReloc *, SmallVectorImpl&lt;char&gt; &amp;)</c>, step by step, with its helpers <c>relocKindName</c>
/// (<see cref="CoreReloKinds"/>), <c>printMod</c>, <c>skipModsAndTypedefs</c> and <c>StrOrAnon</c>:
/// <list type="bullet">
/// <item>type kinds: <c>&lt;type_size&gt; [7] struct foo</c>;</item>
/// <item>enum-value kinds: <c>&lt;enumval_value&gt; [5] enum foo::V = 2</c>;</item>
/// <item>field kinds: <c>&lt;byte_off&gt; [8] struct bar::[7].v[2].&lt;anon 0&gt;.b (7:1:2:0:1)</c>;</item>
/// <item>a record it cannot follow: <c>&lt;byte_off&gt; [4] '0:9' &lt;member index 9 for spec sub-string 1 is out of range&gt;</c>.</item>
/// </list>
/// Two bounds LLVM does not have keep hostile input from costing more than a fixed multiple of its size: an access
/// string longer than <see cref="MaxAccessString"/> bytes or of more than <see cref="MaxComponents"/> components
/// (libbpf <c>BPF_CORE_SPEC_MAX_LEN</c>: libbpf refuses to load such a record) and a typedef/modifier chain longer
/// than <see cref="BtfInfo.MaxResolveDepth"/> (where LLVM follows a cycle for ever) end in the failure form with a
/// message of our own. Clang never writes such records.
/// </summary>
internal static class CoreReloText
{
    /// <summary>The longest access string read.</summary>
    internal const int MaxAccessString = 1024;

    /// <summary>The most access-string components followed (tools/lib/bpf/relo_core.h <c>BPF_CORE_SPEC_MAX_LEN</c>).</summary>
    internal const int MaxComponents = 64;

    /// <summary>BTFParser.cpp <c>symbolize</c>: the modifier chain printed is at most this long (<c>ChainLen &gt;= 32</c>).</summary>
    private const int MaxModifierChain = 32;

    /// <summary>BTFParser.cpp <c>RelocKindGroup</c>.</summary>
    private enum Group
    {
        Field,
        Type,
        EnumValue,
        Unknown,
    }

    /// <summary>Appends the text after <c>CO-RE </c> for <paramref name="record"/>.</summary>
    public static void Append(StringBuilder sb, BtfExtRecord record, BtfInfo btf, EndianBytes e)
    {
        if (record.Rest.Length < 12)
        {
            sb.Append("<truncated record>");
            return;
        }

        var rest = record.Rest.AsSpan();
        uint typeId = e.U32(rest);
        uint accessOff = e.U32(rest[4..]);
        uint kind = e.U32(rest[8..]);
        int start = sb.Length;
        if (Symbolize(sb, btf, typeId, accessOff, kind) is { } failure)
        {
            // symbolize's Fail: drop what was written, then "<kind> [id] '<spec>' <message>".
            sb.Length = start;
            CoreReloKinds.AppendName(sb, kind);
            sb.Append(" [").Append(typeId).Append("] '").Append(failure.Spec).Append("' <").Append(failure.Message).Append('>');
        }
    }

    /// <summary>The body of <c>BTFParser::symbolize</c>; returns the failure (spec string and message) or null.</summary>
    private static (string Spec, string Message)? Symbolize(StringBuilder sb, BtfInfo btf, uint typeId, uint accessOff, uint kind)
    {
        // findString(Reloc->OffsetNameOff): an offset outside the string section is the empty string.
        string? spec = btf.GetName(accessOff, MaxAccessString);
        if (spec is null)
        {
            if (btf.GetPrefix(accessOff, MaxAccessString) is { } prefix)
            {
                return (prefix + "...", $"access string longer than {MaxAccessString} bytes");
            }

            spec = string.Empty;
        }

        // "Relocation access string follows pattern [0-9]+(:[0-9]+)*": split by ':' and parse (consumeUnsignedInteger,
        // radix 10; the values are kept as uint32_t).
        var raw = new List<uint>();
        int at = 0;
        while (at < spec.Length)
        {
            if (!ConsumeUnsigned(spec, ref at, out ulong value))
            {
                return (spec, "spec string is not a number");
            }

            if (raw.Count == MaxComponents)
            {
                return (spec, $"more than {MaxComponents} access string components (libbpf BPF_CORE_SPEC_MAX_LEN)");
            }

            raw.Add((uint)value);
            if (at == spec.Length)
            {
                break;
            }

            if (spec[at] != ':')
            {
                return (spec, $"unexpected spec string delimiter: '{spec[at]}'");
            }

            at++;
        }

        CoreReloKinds.AppendName(sb, kind);
        uint curId = typeId;
        var type = FindType(btf, curId);
        if (type is null)
        {
            return (spec, $"unknown type id: {(int)curId}");
        }

        sb.Append(" [").Append(curId).Append(']');

        // The modifiers of the type (const, volatile, restrict, type tags), printed in chain order.
        for (int chainLen = 0; PrintMod(sb, type); chainLen++)
        {
            if (chainLen >= MaxModifierChain)
            {
                return (spec, "modifiers chain is too long");
            }

            curId = type.SizeOrType;
            var next = FindType(btf, curId);
            if (next is null)
            {
                return (spec, $"unknown type id: {(int)curId} in modifiers chain");
            }

            type = next;
        }

        if (curId == 0)
        {
            sb.Append(" void");
        }
        else
        {
            sb.Append(type.Kind switch
            {
                BtfKind.Typedef => " typedef",
                BtfKind.Struct => " struct",
                BtfKind.Union => " union",
                BtfKind.Enum or BtfKind.Enum64 => " enum",
                BtfKind.Fwd => type.KindFlag ? " fwd union" : " fwd struct",
                _ => string.Empty,
            });
            sb.Append(' ');
            AppendStrOrAnon(sb, type.Name, curId);
        }

        var group = GroupOf(kind);
        // "Type-based relocations don't use access string but clang backend generates '0' and libbpf checks it".
        if (group == Group.Type)
        {
            return raw is [0] ? null : (spec, "unexpected type-based relocation spec: should be '0'");
        }

        sb.Append("::");
        if (group == Group.EnumValue)
        {
            return AppendEnumValue(sb, btf, type, raw, spec);
        }

        if (group == Group.Field)
        {
            return AppendFieldPath(sb, btf, type, raw, spec);
        }

        return (spec, $"unknown relocation kind: {(int)kind}");
    }

    /// <summary>The enum-value part: the enumerator numbered by the single access component, and its value.</summary>
    private static (string, string)? AppendEnumValue(StringBuilder sb, BtfInfo btf, BtfType type, List<uint> raw, string spec)
    {
        if (SkipModsAndTypedefs(btf, type) is not { } t)
        {
            return (spec, TooLongChain);
        }

        if (raw.Count != 1)
        {
            return (spec, "unexpected enumval relocation spec size");
        }

        uint idx = raw[0];
        if (t.Kind is not (BtfKind.Enum or BtfKind.Enum64))
        {
            return (spec, $"unexpected type kind for enum relocation: {(int)t.Kind}");
        }

        if (t.Enumerators.Count <= idx)
        {
            return (spec, $"bad value index: {(int)idx}");
        }

        var (name, bits) = t.Enumerators[(int)idx];
        // BTF::BTFEnum's Val is an int32_t: assigned to the uint64_t Val it is sign-extended, whatever the flag says.
        ulong val = t.Kind == BtfKind.Enum ? (ulong)(long)(int)(uint)bits : bits;
        AppendStrOrAnon(sb, name, idx);
        sb.Append(" = ");
        // BTF::ENUM_SIGNED_FLAG is the kind flag.
        if (t.KindFlag)
        {
            sb.Append(((long)val).ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            sb.Append(val.ToString(CultureInfo.InvariantCulture));
        }

        return null;
    }

    /// <summary>
    /// The field part: <c>[N]</c> for a non-zero first (root pointer) index, then each component a member of a
    /// struct/union (<c>.name</c>, no dot right after <c>::</c>) or an array index (<c>[i]</c>), then
    /// <c> (access string)</c>.
    /// </summary>
    private static (string, string)? AppendFieldPath(StringBuilder sb, BtfInfo btf, BtfType type, List<uint> raw, string spec)
    {
        if (raw.Count < 1)
        {
            return (spec, "field spec too short");
        }

        if (raw[0] != 0)
        {
            sb.Append('[').Append(raw[0]).Append(']');
        }

        BtfType? current = type;
        for (int i = 1; i < raw.Count; i++)
        {
            current = SkipModsAndTypedefs(btf, current);
            if (current is null)
            {
                return (spec, TooLongChain);
            }

            uint idx = raw[i];
            if (current.Kind is BtfKind.Struct or BtfKind.Union)
            {
                if ((uint)current.VLen <= idx)
                {
                    return (spec, $"member index {(int)idx} for spec sub-string {i} is out of range");
                }

                var (name, memberType) = current.Members[(int)idx];
                if (i != 1 || raw[0] != 0)
                {
                    sb.Append('.');
                }

                AppendStrOrAnon(sb, name, idx);
                current = FindType(btf, (uint)memberType);
                if (current is null)
                {
                    return (spec, $"unknown member type id {memberType} for spec sub-string {i}");
                }
            }
            else if (current.Kind == BtfKind.Array)
            {
                sb.Append('[').Append(idx).Append(']');
                uint elem = current.ElementType;
                current = FindType(btf, elem);
                if (current is null)
                {
                    return (spec, $"unknown element type id {(int)elem} for spec sub-string {i}");
                }
            }
            else
            {
                return (spec, $"unexpected type kind {(int)current.Kind} for spec sub-string {i}");
            }
        }

        sb.Append(" (").Append(spec).Append(')');
        return null;
    }

    private const string TooLongChain = "typedef and modifier chain longer than 32 (kernel MAX_RESOLVE_DEPTH)";

    /// <summary>BTFParser.cpp <c>relocKindGroup</c>.</summary>
    private static Group GroupOf(uint kind) => kind switch
    {
        <= 5 => Group.Field,
        6 or 7 or 8 or 9 or 12 => Group.Type,
        10 or 11 => Group.EnumValue,
        _ => Group.Unknown,
    };

    /// <summary>BTFParser.cpp <c>findType</c>: id 0 is void (a guard of kind UNKN), ids past the last type are null.</summary>
    private static BtfType? FindType(BtfInfo btf, uint id) =>
        id == 0 ? Void : id > int.MaxValue ? null : btf.Get((int)id);

    private static readonly BtfType Void = new() { Id = 0, Kind = BtfKind.Unknown, Name = string.Empty, VLen = 0, SizeOrType = 0 };

    /// <summary>BTFParser.cpp <c>printMod</c>: appends a modifier's word; false for any other kind.</summary>
    private static bool PrintMod(StringBuilder sb, BtfType t)
    {
        switch (t.Kind)
        {
            case BtfKind.Const:
                sb.Append(" const");
                return true;
            case BtfKind.Volatile:
                sb.Append(" volatile");
                return true;
            case BtfKind.Restrict:
                sb.Append(" restrict");
                return true;
            case BtfKind.TypeTag:
                sb.Append(" type_tag(\"").Append(t.Name).Append("\")");
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// BTFParser.cpp <c>skipModsAndTypedefs</c>: follows typedefs and modifiers while their target exists; null
    /// past <see cref="BtfInfo.MaxResolveDepth"/> steps (LLVM has no bound).
    /// </summary>
    private static BtfType? SkipModsAndTypedefs(BtfInfo btf, BtfType t)
    {
        for (int steps = 0; t.Kind is BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag or BtfKind.Typedef; steps++)
        {
            if (FindType(btf, t.SizeOrType) is not { } next)
            {
                break;
            }

            if (steps == BtfInfo.MaxResolveDepth)
            {
                return null;
            }

            t = next;
        }

        return t;
    }

    /// <summary>BTFParser.cpp <c>StrOrAnon</c>: the name, or <c>&lt;anon N&gt;</c> for an empty one.</summary>
    private static void AppendStrOrAnon(StringBuilder sb, string name, uint idx)
    {
        if (name.Length == 0)
        {
            sb.Append("<anon ").Append(idx).Append('>');
        }
        else
        {
            sb.Append(name);
        }
    }

    /// <summary>
    /// llvm/lib/Support/StringRef.cpp <c>consumeUnsignedInteger</c> with radix 10: the leading decimal digits of
    /// <paramref name="s"/> from <paramref name="at"/>; false when there are none or the value overflows 64 bits.
    /// (Letters end the number too: in radix 10 their digit value is not below the radix.)
    /// </summary>
    private static bool ConsumeUnsigned(string s, ref int at, out ulong value)
    {
        value = 0;
        int begin = at;
        int i = at;
        while (i < s.Length && s[i] is >= '0' and <= '9')
        {
            ulong next = unchecked((value * 10) + (ulong)(s[i] - '0'));
            if (next / 10 < value)
            {
                return false;
            }

            value = next;
            i++;
        }

        if (i == begin)
        {
            return false;
        }

        at = i;
        return true;
    }
}
