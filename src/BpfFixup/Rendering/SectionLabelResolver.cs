// SPDX-License-Identifier: MIT
using BpfFixup.Isa;
using BpfFixup.Model;

namespace BpfFixup.Rendering;

/// <summary>
/// Names a jump's target as llvm-objdump's <c>&lt;sym+0xNN&gt;</c> annotation does: the nearest label
/// (<see cref="SectionLabels"/>) at or before the target slot, and the byte distance from it; nothing when the target
/// is outside the section or before its first label. Calls and ld_imm64 values are left to the formatter (llvm-objdump
/// prints their relocations on lines of their own). Tell it the instruction with <see cref="MoveTo"/> first.
/// </summary>
internal sealed class SectionLabelResolver(CodeSection section, SectionLabels labels) : ILlvmSymbolResolver
{
    private int insnIndex = -1;

    /// <summary>Sets the instruction (index into <see cref="CodeSection.Instructions"/>) the next calls describe.</summary>
    public void MoveTo(int insn) => insnIndex = insn;

    /// <inheritdoc />
    public bool TryGetBranchSymbol(in Instruction insn, out SymbolResult symbol)
    {
        symbol = default;
        if (!insn.IsJump || insnIndex < 0 || insnIndex >= section.Instructions.Length)
        {
            return false;
        }

        long target = (long)section.Slots[insnIndex] + 1 + insn.JumpDistance;
        if (target < 0 || target >= section.SlotCount)
        {
            return false;
        }

        int label = labels.Nearest((int)target);
        if (label < 0)
        {
            return false;
        }

        symbol = new SymbolResult(labels.NameOf(label), (target - labels.SlotOf(label)) * 8);
        return true;
    }

    /// <inheritdoc />
    public bool TryGetCallSymbol(in Instruction insn, out SymbolResult symbol)
    {
        symbol = default;
        return false;
    }

    /// <inheritdoc />
    public bool TryGetImm64Symbol(in Instruction insn, out SymbolResult symbol)
    {
        symbol = default;
        return false;
    }
}
