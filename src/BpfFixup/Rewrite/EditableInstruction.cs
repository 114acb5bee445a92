// SPDX-License-Identifier: MIT
using BpfFixup.Isa;
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>
/// One instruction of the editable program (cilium/ebpf's <c>asm.Instruction</c> with its <c>Metadata</c>, PREVAIL's
/// labelled instruction): its origin, its relocation, and its jump or call target as a reference to the instruction
/// it reaches, not an offset. <see cref="EditableSection.Layout"/> gives it its slot; the offsets and immediates that
/// encode a position are derived from the references after that (<c>ObjectRewriter</c>).
/// </summary>
internal sealed class EditableInstruction
{
    public Instruction Insn { get; set; }

    /// <summary>The original instruction index, or -1 for an instruction of an inline sequence (or a section's end).</summary>
    public int OldInsn { get; init; } = -1;

    /// <summary>The function instance the instruction belongs to.</summary>
    public FunctionInstance Instance { get; init; }

    /// <summary>The relocation carried along (possibly retargeted), or null.</summary>
    public ObjectRelocation? Relocation { get; init; }

    /// <summary>Symbol index the relocation should use in the output (before symbol renumbering).</summary>
    public int RelocationSymbol { get; set; } = -1;

    /// <summary>
    /// What a carried-over jump lands on (the kernel's <c>bpf_adj_branches</c>: a replaced call's first inline
    /// instruction), or the first instruction of the function instance a bpf-to-bpf call or a callback's ld_imm64
    /// reaches (its <see cref="Instance"/> says whether that is the fsession copy); null for any other instruction.
    /// </summary>
    public EditableInstruction? Target { get; set; }

    /// <summary>First slot in the output section; set by <see cref="EditableSection.Layout"/>.</summary>
    public int Slot { get; set; }

    /// <summary>The byte offset of the instruction in its output section (RFC 9669 §5.4: 8-byte slots).</summary>
    public ulong ByteOffset => (ulong)Slot * 8;
}
