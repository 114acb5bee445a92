// SPDX-License-Identifier: MIT
using BpfFixup.Btf;
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>
/// A global subprogram (BTF FUNC linkage global) is verified once, on its own, with its arguments typed from
/// BTF, not with what a caller passes (kernel/bpf/btf.c <c>btf_prepare_func_args</c>): a parameter tagged
/// <c>arg:ctx</c> (<c>__arg_ctx</c>) or of the program type's ctx type is PTR_TO_CTX, an integer or enum is a
/// scalar, any other pointer is PTR_TO_MEM. So a global function that passes an untagged <c>void *ctx</c> on to
/// a session kfunc does not hand it the ctx.
/// </summary>
public static class GlobalSubprogram
{
    /// <summary>The BTF-typed arguments r1-r5 of <paramref name="fn"/>, or null when it is not a global subprogram with BTF.</summary>
    public static RegValue[]? Arguments(BpfObject obj, BpfFunction fn)
    {
        if (!fn.IsSubprogram || obj.Btf is not { } btf || FuncType(obj, fn) is not { Kind: BtfKind.Func, VLen: 1 } func
            || btf.Get((int)func.SizeOrType) is not { Kind: BtfKind.FuncProto } proto)
        {
            return null;
        }

        var args = new RegValue[5];
        Array.Fill(args, RegValue.NotInit);
        for (int i = 0; i < proto.Members.Count && i < args.Length; i++)
        {
            args[i] = ArgumentType(btf, func.Id, i, proto.Members[i].Type);
        }

        return args;
    }

    /// <summary>
    /// The first line the kernel logs when it cannot type an argument of global subprogram <paramref name="fn"/>
    /// (kernel/bpf/btf.c <c>btf_prepare_func_args</c>, run from <c>btf_check_subprog_call</c> at the first call):
    /// an untagged pointer whose pointee has no size (void, a forward declaration, a function prototype):
    /// <c>arg#0 reference type('UNKNOWN ') size cannot be determined: -22</c> (-EINVAL; the words are
    /// <c>btf_type_str</c> of the pointee, after modifiers and typedefs, and its name). Null when every argument
    /// can be typed. The message is <c>btf_prepare_func_args</c>'s (kernel/bpf/btf.c); the kernel tier
    /// (tests/BpfFixup.Tests/Kernel) saw Linux 7.2 print it for an untagged <c>void *ctx</c>.
    /// </summary>
    public static string? InvalidArgument(BpfObject obj, BpfFunction fn)
    {
        if (Arguments(obj, fn) is null || FuncType(obj, fn) is not { } func || obj.Btf!.Get((int)func.SizeOrType) is not { Kind: BtfKind.FuncProto } proto)
        {
            return null;
        }

        var btf = obj.Btf;
        for (int i = 0; i < proto.Members.Count; i++)
        {
            if (btf.ParameterTags(func.Id, i).Contains("arg:ctx", StringComparer.Ordinal)
                || btf.Resolve(proto.Members[i].Type) is not { Kind: BtfKind.Ptr } ptr || IsProgramCtxType(btf, ptr))
            {
                continue;
            }

            var (kindWord, name) = Pointee(btf, (int)ptr.SizeOrType);
            if (kindWord is not null)
            {
                return $"arg#{i} reference type('{kindWord} {name}') size cannot be determined: -22";
            }
        }

        return null;
    }

    /// <summary>
    /// The pointee after modifiers and typedefs (<c>btf_type_skip_modifiers</c>) when <c>btf_resolve_size</c> fails
    /// on it: its <c>btf_kind_str</c> word and name; (null, "") when it has a size.
    /// </summary>
    private static (string? KindWord, string Name) Pointee(BtfInfo btf, int id)
    {
        for (int guard = 0; guard <= BtfInfo.MaxResolveDepth; guard++)
        {
            if (id == 0)
            {
                return ("UNKNOWN", string.Empty); // btf_void: kind 0
            }

            var t = btf.Get(id);
            switch (t?.Kind)
            {
                case BtfKind.Typedef or BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag:
                    id = (int)t.SizeOrType;
                    continue;
                case BtfKind.Fwd:
                    return ("FWD", t.Name ?? string.Empty);
                case BtfKind.FuncProto:
                    return ("FUNC_PROTO", t.Name ?? string.Empty);
                default:
                    return (null, string.Empty);
            }
        }

        return (null, string.Empty);
    }

    // btf_validate_prog_ctx_type: a tracing or kprobe program's ctx may be declared u64 * (or struct pt_regs *).
    private static bool IsProgramCtxType(BtfInfo btf, BtfType ptr)
    {
        var pointee = btf.Resolve((int)ptr.SizeOrType);
        return pointee is { Kind: BtfKind.Int, SizeOrType: 8 } || pointee is { Kind: BtfKind.Struct, Name: "pt_regs" };
    }

    private static RegValue ArgumentType(BtfInfo btf, int funcId, int index, int typeId)
    {
        if (btf.ParameterTags(funcId, index).Contains("arg:ctx", StringComparer.Ordinal))
        {
            return RegValue.Ctx;
        }

        var t = btf.Resolve(typeId);
        if (t?.Kind == BtfKind.Ptr)
        {
            return IsProgramCtxType(btf, t) ? RegValue.Ctx : RegValue.Of(RegTypes.Mem);
        }

        return RegValue.Scalar;
    }

    /// <summary>The BTF FUNC of <paramref name="fn"/>: its func_info record, or its name.</summary>
    private static BtfType? FuncType(BpfObject obj, BpfFunction fn)
    {
        if (obj.BtfExt?.FuncInfo.For(fn.Section.Name) is { } group)
        {
            uint at = (uint)fn.StartSlot * 8;
            foreach (var r in group.Records)
            {
                if (r.InsnOff == at)
                {
                    return obj.Btf!.Get(LineInfoReader.FuncTypeId(r, obj.Elf.Endian));
                }
            }
        }

        return obj.Btf!.FindFunc(fn.Name);
    }
}
