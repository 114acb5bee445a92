// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Btf;
using BpfFixup.Elf;

namespace BpfFixup.Rendering;

/// <summary>
/// Renders a bpf_core_relo record (insn_off, type_id, access_str_off, kind) the way llvm-objdump-19 -dr does:
/// <c>CO-RE &lt;byte_off&gt; [23] struct sock___c::__sk_common.skc_family (0:0:1)</c>. Member chains through
/// STRUCT/UNION (skipping typedef and qualifiers) are named; where the chain cannot be followed (arrays,
/// malformed indices) only the access string is printed.
/// </summary>
internal static class CoreReloText
{
    /// <summary>The longest access string read.</summary>
    internal const int MaxAccessString = 1024;

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
        // libbpf parses at most BPF_CORE_SPEC_MAX_LEN (64) components: 1024 bytes hold them; longer is shown as "?".
        string access = btf.GetName(accessOff, MaxAccessString) ?? "?";
        sb.Append('<').Append(CoreReloKinds.NameOf(kind)).Append("> [").Append(typeId).Append(']');
        var type = btf.Get(typeId > int.MaxValue ? -1 : (int)typeId);
        if (type is null)
        {
            sb.Append(" (").Append(access).Append(')');
            return;
        }

        sb.Append(' ');
        AppendTypeName(sb, type);
        if (CoreReloKinds.IsFieldKind(kind))
        {
            AppendMembers(sb, btf, type, access);
            sb.Append(" (").Append(access).Append(')');
        }
        else if (CoreReloKinds.IsEnumValueKind(kind))
        {
            sb.Append("::(").Append(access).Append(')');
        }
    }

    private static void AppendTypeName(StringBuilder sb, BtfType t)
    {
        string word = t.Kind switch
        {
            BtfKind.Struct => "struct ",
            BtfKind.Union => "union ",
            BtfKind.Enum or BtfKind.Enum64 => "enum ",
            BtfKind.Fwd => t.KindFlag ? "union " : "struct ",
            _ => string.Empty,
        };
        sb.Append(word).Append(t.Name.Length == 0 ? "<anon>" : t.Name);
    }

    private static void AppendMembers(StringBuilder sb, BtfInfo btf, BtfType root, string access)
    {
        // libbpf reads at most BPF_CORE_SPEC_MAX_LEN (64) components (tools/lib/bpf/relo_core.c bpf_core_parse_spec).
        var parts = access.Split(':', 65);
        var current = root;
        // The first index is an array index on the root pointer; the rest are member indices.
        for (int p = 1; p < parts.Length && p < 64; p++)
        {
            current = current is null ? null : btf.Resolve(current.Id);
            if (current is null || current.Kind is not (BtfKind.Struct or BtfKind.Union)
                || !int.TryParse(parts[p], out int m) || m < 0 || m >= current.Members.Count)
            {
                return;
            }

            var (name, type) = current.Members[m];
            sb.Append(p == 1 ? "::" : ".").Append(name.Length == 0 ? "<anon>" : name);
            current = btf.Get(type);
        }
    }
}
