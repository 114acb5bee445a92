// SPDX-License-Identifier: MIT
using BpfFixup.Btf;
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>
/// What a tracing program may read from ctx, given its target's prototype: kernel/trace/bpf_trace.c
/// <c>tracing_prog_is_valid_access</c>, then kernel/bpf/btf.c <c>btf_ctx_access</c> (with <c>btf_ctx_arg_idx</c>).
/// A refused load ends in kernel/bpf/verifier.c <c>check_ctx_access</c>'s <c>"invalid bpf_context access off=%d size=%d"</c>.
/// </summary>
public static class CtxArgumentRules
{
    /// <summary>MAX_BPF_FUNC_ARGS: the trampoline's ctx holds at most 12 u64 slots.</summary>
    private const int MaxFuncArgs = 12;

    /// <summary>
    /// Null when the kernel lets the program read <paramref name="size"/> bytes at ctx offset <paramref name="off"/>
    /// (or when this cannot be decided here); else the kernel's first line (or null for none) and its last line.
    /// </summary>
    public static (string? Cause, string Invalid)? Judge(BtfInfo kernel, BtfType target, AttachType attachType, int off, int size)
    {
        string invalid = $"invalid bpf_context access off={off} size={size}";
        // tracing_prog_is_valid_access: bounds and alignment to the size, silently.
        if (off < 0 || off >= 8 * MaxFuncArgs || size <= 0 || off % size != 0)
        {
            return (null, invalid);
        }

        if (kernel.Get((int)target.SizeOrType) is not { Kind: BtfKind.FuncProto } proto)
        {
            return null;
        }

        string tname = target.Name;
        if (off % 8 != 0)
        {
            return ($"func '{tname}' offset {off} is not multiple of 8", invalid);
        }

        int nrArgs = proto.VLen;
        int arg = ArgIndex(kernel, proto, off);
        if (arg > nrArgs)
        {
            return ($"func '{tname}' doesn't have {arg + 1}-th argument", invalid);
        }

        if (arg == nrArgs)
        {
            // The return value's slot: fexit and fsession read it (fmod_ret too, with its own int rule, not judged here).
            return attachType is AttachType.TraceFexit or AttachType.TraceFsession or AttachType.ModifyReturn
                ? null
                : ($"func '{tname}' doesn't have {arg + 1}-th argument", invalid);
        }

        if (kernel.Resolve(proto.Members[arg].Type) is { Kind: BtfKind.Ptr } && size != 8)
        {
            return ($"func '{tname}' size {size} must be 8", invalid);
        }

        return null;
    }

    /// <summary><c>btf_ctx_arg_idx</c>: a pointer takes one slot, anything else its size rounded up to 8 bytes.</summary>
    private static int ArgIndex(BtfInfo kernel, BtfType proto, int off)
    {
        long offset = 0;
        for (int i = 0; i < proto.Members.Count; i++)
        {
            offset += SlotBytes(kernel, proto.Members[i].Type);
            if (off < offset)
            {
                return i;
            }
        }

        offset += SlotBytes(kernel, (int)proto.SizeOrType);
        return off < offset ? proto.VLen : proto.VLen + 1;
    }

    private static long SlotBytes(BtfInfo kernel, int type)
    {
        // btf_type_skip_modifiers (typedefs are not modifiers there, but a typedef's size is its target's).
        var t = kernel.Resolve(type);
        return t switch
        {
            null => 0,
            { Kind: BtfKind.Ptr } => 8,
            { Kind: BtfKind.Int or BtfKind.Enum or BtfKind.Enum64 or BtfKind.Struct or BtfKind.Union or BtfKind.Float } => (t.SizeOrType + 7) / 8 * 8,
            _ => 8,
        };
    }
}
