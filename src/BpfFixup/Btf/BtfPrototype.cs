// SPDX-License-Identifier: MIT
using System.Text;

namespace BpfFixup.Btf;

/// <summary>A FUNC's prototype in C, as <c>bpftool btf dump … format c</c> would declare it (for messages).</summary>
public static class BtfPrototype
{
    private const int MaxDepth = 8;

    /// <summary><c>int filename_unlinkat(int dfd, struct filename *name)</c>.</summary>
    public static string Format(BtfInfo btf, BtfType func)
    {
        var sb = new StringBuilder();
        if (btf.Get((int)func.SizeOrType) is not { Kind: BtfKind.FuncProto } proto)
        {
            return func.Name + "(?)";
        }

        sb.Append(TypeName(btf, (int)proto.SizeOrType, MaxDepth)).Append(' ').Append(func.Name).Append('(');
        for (int i = 0; i < proto.Members.Count; i++)
        {
            var (name, type) = proto.Members[i];
            if (i > 0)
            {
                sb.Append(", ");
            }

            sb.Append(type == 0 && name.Length == 0 ? "..." : TypeName(btf, type, MaxDepth));
            if (name.Length > 0)
            {
                sb.Append(sb[^1] == '*' ? string.Empty : " ").Append(name);
            }
        }

        if (proto.Members.Count == 0)
        {
            sb.Append("void");
        }

        return sb.Append(')').ToString();
    }

    private static string TypeName(BtfInfo btf, int id, int depth)
    {
        if (id == 0)
        {
            return "void";
        }

        if (depth == 0 || btf.Get(id) is not { } t)
        {
            return "?";
        }

        return t.Kind switch
        {
            BtfKind.Ptr => TypeName(btf, (int)t.SizeOrType, depth - 1) + " *",
            BtfKind.Const => "const " + TypeName(btf, (int)t.SizeOrType, depth - 1),
            BtfKind.Volatile => "volatile " + TypeName(btf, (int)t.SizeOrType, depth - 1),
            BtfKind.Restrict or BtfKind.TypeTag => TypeName(btf, (int)t.SizeOrType, depth - 1),
            BtfKind.Struct => "struct " + t.Name,
            BtfKind.Union => "union " + t.Name,
            BtfKind.Enum or BtfKind.Enum64 => "enum " + t.Name,
            BtfKind.Fwd => (t.KindFlag ? "union " : "struct ") + t.Name,
            BtfKind.FuncProto => "fn *",
            _ => t.Name.Length > 0 ? t.Name : "?",
        };
    }
}
