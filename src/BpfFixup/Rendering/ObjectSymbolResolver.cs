// SPDX-License-Identifier: MIT
using System.Globalization;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Model;

namespace BpfFixup.Rendering;

/// <summary>
/// Names calls and ld_imm64 values in xlated syntax from the object's relocations, for the instruction the
/// caller moved to with <see cref="MoveTo"/>:
/// <list type="bullet">
/// <item>a call relocated against an undefined symbol is a kfunc: <c>call bpf_session_cookie#-1</c> (the number is
/// the imm as encoded in the object; libbpf replaces it with the kernel BTF id at load time);</item>
/// <item>a bpf-to-bpf call prints the encoded imm and the callee: <c>call pc+26#sess_shared_note</c> (for a call
/// through a <c>.text</c> section symbol the imm is relative to that symbol, as encoded);</item>
/// <item>an ld_imm64 relocated against a symbol prints <c>&amp;name</c> or <c>&amp;name+0x10</c>.</item>
/// </list>
/// </summary>
public sealed class ObjectSymbolResolver(BpfObject obj) : IXlatedSymbolResolver
{
    private CodeSection? section;
    private int insnIndex = -1;

    /// <summary>Sets the instruction the next calls describe.</summary>
    public void MoveTo(CodeSection codeSection, int insn)
    {
        section = codeSection;
        insnIndex = insn;
    }

    /// <inheritdoc />
    public string? HelperName(int helperId) => null;

    /// <inheritdoc />
    public string? KfuncName(in Instruction insn) =>
        Current() is { Symbol.IsUndefined: true, Type: BpfRelocationType.R64_32 } r ? r.SymbolName : null;

    /// <inheritdoc />
    public string? PseudoCallTarget(in Instruction insn)
    {
        if (section is null || insnIndex < 0 || insnIndex >= section.Instructions.Length)
        {
            return null;
        }

        var target = obj.ResolveCall(section, insnIndex);
        string? name = target.Kind == CallTargetKind.Subprogram ? target.Function?.Name ?? target.Name : null;
        if (name is null)
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(insn.Imm >= 0 ? "+" : string.Empty)}{insn.Imm}#{name}");
    }

    /// <inheritdoc />
    public string? Imm64Text(in Instruction insn)
    {
        if (Current() is not { Type: BpfRelocationType.R64_64 } r)
        {
            return null;
        }

        long value = insn.Imm64;
        return value == 0 ? "&" + r.SymbolName : string.Create(CultureInfo.InvariantCulture, $"&{r.SymbolName}+0x{value:x}");
    }

    private ObjectRelocation? Current() =>
        section is not null && insnIndex >= 0 && insnIndex < section.Instructions.Length ? section.Relocations[insnIndex] : null;
}
