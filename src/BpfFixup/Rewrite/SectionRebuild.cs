// SPDX-License-Identifier: MIT
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>
/// A code section rebuilt once, in linear time, with the old-to-new slot maps that every position fix uses
/// (the kernel patches one site at a time, O(sites x length) in bpf_patch_insn_single, kernel/bpf/core.c).
/// </summary>
internal sealed class SectionRebuild
{
    public SectionRebuild(CodeSection section)
    {
        Section = section;
        OriginalSlot = new int[section.Instructions.Length + 1];
    }

    public CodeSection Section { get; }

    public List<OutputInstruction> Output { get; } = [];

    /// <summary>Old instruction index to new slot; the extra last entry is the end of the original code.</summary>
    public int[] OriginalSlot { get; }

    /// <summary>For each specialised function: (old index - start) to new slot in its copy; last entry is the copy's end.</summary>
    public Dictionary<BpfFunction, int[]> CopySlot { get; } = [];

    public int SlotCount { get; set; }

    public bool Changed { get; set; }

    public int SlotOf(FunctionInstance instance, int oldInsn) =>
        instance.IsCopy ? CopySlot[instance.Function][oldInsn - instance.Function.StartInsn] : OriginalSlot[oldInsn];
}
