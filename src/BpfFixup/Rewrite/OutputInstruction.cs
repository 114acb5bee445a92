// SPDX-License-Identifier: MIT
using BpfFixup.Isa;
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>
/// One instruction of a rebuilt section, with its metadata travelling with it (cilium/ebpf's idea): where it
/// came from and its relocation. Inline-sequence instructions have no origin.
/// </summary>
internal sealed class OutputInstruction
{
    public Instruction Insn { get; set; }

    /// <summary>The original instruction index, or -1 for an instruction of an inline sequence.</summary>
    public int OldInsn { get; init; } = -1;

    /// <summary>The function instance the instruction belongs to.</summary>
    public FunctionInstance Instance { get; init; }

    /// <summary>The relocation carried along (possibly retargeted), or null.</summary>
    public ObjectRelocation? Relocation { get; set; }

    /// <summary>Symbol index the relocation should use in the output (before symbol renumbering).</summary>
    public int RelocationSymbol { get; set; } = -1;

    /// <summary>Slot in the rebuilt section.</summary>
    public int Slot { get; set; }
}
