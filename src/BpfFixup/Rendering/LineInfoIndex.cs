// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Model;

namespace BpfFixup.Rendering;

/// <summary>The line_info records of one code section by the slot where they start (the model's index).</summary>
internal readonly struct LineInfoIndex
{
    private readonly BpfObject? obj;
    private readonly CodeSection? section;

    private LineInfoIndex(BpfObject obj, CodeSection section)
    {
        this.obj = obj;
        this.section = section;
    }

    /// <summary>The index of <paramref name="section"/>.</summary>
    public static LineInfoIndex For(BpfObject obj, CodeSection section) => new(obj, section);

    /// <summary>The source location whose line_info record starts at <paramref name="slot"/>, or null.</summary>
    public SourceLocation? At(int slot)
    {
        int insn = section is null ? -1 : section.InsnAtSlot(slot);
        return insn >= 0 && insn < section!.Instructions.Length ? obj!.LineAt(section, insn) : null;
    }
}
