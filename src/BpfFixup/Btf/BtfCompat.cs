// SPDX-License-Identifier: MIT
namespace BpfFixup.Btf;

/// <summary>
/// libbpf's <c>__bpf_core_types_are_compat</c> (tools/lib/bpf/relo_core.c), the test
/// <c>bpf_object__resolve_ksym_func_btf_id</c> applies to a kfunc extern's prototype against the kernel's.
/// </summary>
public static class BtfCompat
{
    /// <summary>How deep libbpf follows pointers and prototypes before it gives up (relo_core.c: <c>depth = 32</c>).</summary>
    private const int MaxDepth = 32;

    /// <summary>True when type <paramref name="localId"/> of <paramref name="local"/> is compatible with <paramref name="targId"/> of <paramref name="targ"/>.</summary>
    public static bool AreCompat(BtfInfo local, int localId, BtfInfo targ, int targId) => Compat(local, localId, targ, targId, MaxDepth);

    private static bool Compat(BtfInfo local, int localId, BtfInfo targ, int targId, int depth)
    {
        if (depth < 0)
        {
            return false;
        }

        // skip_mods_and_typedefs on both sides; void (id 0) is BTF_KIND_UNKN.
        var l = localId == 0 ? null : local.Resolve(localId);
        var t = targId == 0 ? null : targ.Resolve(targId);
        if ((localId != 0 && l is null) || (targId != 0 && t is null))
        {
            return false;
        }

        var lk = l?.Kind ?? BtfKind.Unknown;
        var tk = t?.Kind ?? BtfKind.Unknown;
        if (lk != tk)
        {
            return false;
        }

        switch (lk)
        {
            case BtfKind.Unknown or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Fwd or BtfKind.Enum64:
                return true;
            case BtfKind.Int:
                // "just reject deprecated bitfield-like integers; all other integers are by default compatible"
                // (BTF_INT_OFFSET, bits 16-23 of the encoding word).
                return ((l!.Extra >> 16) & 0xff) == 0 && ((t!.Extra >> 16) & 0xff) == 0;
            case BtfKind.Ptr:
                return Compat(local, (int)l!.SizeOrType, targ, (int)t!.SizeOrType, depth - 1);
            case BtfKind.FuncProto:
                if (l!.VLen != t!.VLen)
                {
                    return false;
                }

                for (int i = 0; i < l.Members.Count && i < t.Members.Count; i++)
                {
                    if (!Compat(local, l.Members[i].Type, targ, t.Members[i].Type, depth - 1))
                    {
                        return false;
                    }
                }

                return Compat(local, (int)l.SizeOrType, targ, (int)t.SizeOrType, depth - 1);
            default:
                // Arrays and the rest: libbpf compares array element types; kfunc prototypes do not take arrays.
                return false;
        }
    }
}
