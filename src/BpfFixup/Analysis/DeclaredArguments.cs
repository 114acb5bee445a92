// SPDX-License-Identifier: MIT
using System.Text.RegularExpressions;
using BpfFixup.Btf;
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>
/// The arguments a tracing program says its target has, from the source lines BTF line_info keeps for its
/// instructions: <c>int BPF_PROG(name, int dfd, struct filename *name, int ret)</c> (tools/lib/bpf/bpf_tracing.h).
/// Only used to rank the functions suggested for a missing target; null when the line is not such a declaration.
/// </summary>
public static partial class DeclaredArguments
{
    /// <summary>Whether each declared argument is a pointer, in order; null when unknown.</summary>
    public static IReadOnlyList<bool>? PointerShape(BpfObject obj, BpfFunction program)
    {
        if (obj.Btf is null)
        {
            return null;
        }

        for (int insn = program.StartInsn; insn < program.EndInsn; insn++)
        {
            if (obj.LineAt(program.Section, insn)?.Text is { } line && Declaration().Match(line) is { Success: true } m && m.Groups["name"].Value == program.Name)
            {
                return [.. m.Groups["args"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(a => a.Contains('*', StringComparison.Ordinal))];
            }
        }

        return null;
    }

    /// <summary>
    /// True when <paramref name="func"/>'s parameters (then, where the program declares one more, its return value:
    /// fexit, fsession) have the declared pointer shape.
    /// </summary>
    public static bool Fits(BtfInfo kernel, BtfType func, IReadOnlyList<bool> shape)
    {
        if (kernel.Get((int)func.SizeOrType) is not { Kind: BtfKind.FuncProto } proto)
        {
            return false;
        }

        var kinds = proto.Members.Select(p => IsPointer(kernel, p.Type)).ToList();
        if (shape.Count == kinds.Count + 1 && proto.SizeOrType != 0)
        {
            kinds.Add(IsPointer(kernel, (int)proto.SizeOrType));
        }

        return kinds.SequenceEqual(shape);
    }

    private static bool IsPointer(BtfInfo btf, int type) => btf.Resolve(type) is { Kind: BtfKind.Ptr };

    [GeneratedRegex(@"\bBPF_PROG2?\s*\(\s*(?<name>\w+)\s*,(?<args>[^)]*)\)")]
    private static partial Regex Declaration();
}
