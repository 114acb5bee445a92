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

    private static RegValue ArgumentType(BtfInfo btf, int funcId, int index, int typeId)
    {
        if (btf.ParameterTags(funcId, index).Contains("arg:ctx", StringComparer.Ordinal))
        {
            return RegValue.Ctx;
        }

        var t = btf.Resolve(typeId);
        if (t?.Kind == BtfKind.Ptr)
        {
            // btf_validate_prog_ctx_type: a tracing or kprobe program's ctx may be declared u64 * (or struct pt_regs *).
            var pointee = btf.Resolve((int)t.SizeOrType);
            bool ctxType = pointee is { Kind: BtfKind.Int, SizeOrType: 8 } || pointee is { Kind: BtfKind.Struct, Name: "pt_regs" };
            return ctxType ? RegValue.Ctx : RegValue.Of(RegTypes.Mem);
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
