// SPDX-License-Identifier: MIT
using BpfFixup.Isa;
using BpfFixup.Model;
using BpfFixup.Rendering;

namespace BpfFixup.Snapshots;

/// <summary>
/// Names operands in the review listing of <see cref="ProgramListingRenderer"/> (printed with
/// <see cref="LlvmSymbolStyle.Replace"/>): a jump's target by its <c>.L</c> label, a helper by its name
/// (<c>helper#N</c> when <see cref="HelperIds"/> does not know it), a bpf-to-bpf call by its callee and an extern
/// call by its kfunc, and a relocated ld_imm64 by the subprogram it points to or the symbol plus the encoded imm.
/// Tell it the instruction with <see cref="MoveTo"/> first.
/// </summary>
internal sealed class ReviewSymbolResolver(BpfObject obj, CodeSection code, FunctionLabels labels) : ILlvmSymbolResolver
{
    private int index = -1;

    /// <summary>Sets the instruction (index into <see cref="CodeSection.Instructions"/>) the next calls describe.</summary>
    public void MoveTo(int insn) => index = insn;

    /// <inheritdoc />
    public bool TryGetBranchSymbol(in Instruction insn, out SymbolResult symbol)
    {
        symbol = default;
        if (!code.Kinds[index].IsJump())
        {
            return false;
        }

        long slot = (long)code.Slots[index] + insn.JumpDistance + 1;
        int target = slot >= 0 && slot <= code.SlotCount ? code.InsnAtSlot(slot) : -1;
        if (target < 0 || !labels.TryGet(target, out var label))
        {
            return false;
        }

        symbol = new SymbolResult(label);
        return true;
    }

    /// <inheritdoc />
    public bool TryGetCallSymbol(in Instruction insn, out SymbolResult symbol)
    {
        symbol = default;
        var kind = code.Kinds[index];
        if (kind == InstructionKind.CallHelper)
        {
            symbol = new SymbolResult(HelperIds.NameOf(insn.Imm) ?? $"helper#{insn.Imm}");
            return true;
        }

        if (kind != InstructionKind.CallLocal)
        {
            return false;
        }

        var target = obj.ResolveCall(code, index);
        string? name = target.Kind switch
        {
            CallTargetKind.Kfunc => target.Name,
            CallTargetKind.Subprogram when target.Function is { } f => f.Name,
            _ => null,
        };
        if (name is null)
        {
            return false;
        }

        symbol = new SymbolResult(name);
        return true;
    }

    /// <inheritdoc />
    public bool TryGetImm64Symbol(in Instruction insn, out SymbolResult symbol)
    {
        symbol = default;
        if (code.Kinds[index] != InstructionKind.LoadImm64 || code.Relocations[index] is not { } reloc)
        {
            return false;
        }

        var pointer = obj.ResolveFunctionPointer(code, index);
        symbol = pointer.Kind == CallTargetKind.Subprogram && pointer.Function is { } f
            ? new SymbolResult(f.Name)
            : new SymbolResult(reloc.SymbolName, insn.Imm);
        return true;
    }
}
