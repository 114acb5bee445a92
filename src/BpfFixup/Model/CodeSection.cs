// SPDX-License-Identifier: MIT
using BpfFixup.Elf;
using BpfFixup.Isa;

namespace BpfFixup.Model;

/// <summary>
/// An executable section decoded into instructions, with each instruction's slot, relocation and function.
/// </summary>
public sealed class CodeSection
{
    internal CodeSection(ElfSection elf, DecodedStream stream)
    {
        Elf = elf;
        Instructions = stream.Instructions;
        Slots = new InstructionSlots(stream.Slots, stream.SlotCount);
        SlotCount = stream.SlotCount;
        DecodeErrors = stream.Errors;
        Kinds = stream.Kinds;
        Definition = IsText ? null : SectionDefs.Find(elf.Name);
    }

    /// <summary>The ELF section.</summary>
    public ElfSection Elf { get; }

    /// <summary>The section's name.</summary>
    public string Name => Elf.Name;

    /// <summary>True for <c>.text</c>, where subprograms live.</summary>
    public bool IsText => Elf.Name == ".text";

    /// <summary>libbpf's definition for this section name (null for .text or an unknown name).</summary>
    public SectionDef? Definition { get; }

    /// <summary>Decoded instructions.</summary>
    public Instruction[] Instructions { get; }

    /// <summary>The kind of each instruction (classified once, at decode).</summary>
    public InstructionKind[] Kinds { get; }

    /// <summary>First slot of each instruction.</summary>
    public InstructionSlots Slots { get; }

    /// <summary>Number of 8-byte slots.</summary>
    public int SlotCount { get; }

    /// <summary>Undefined encodings found while decoding.</summary>
    public DecodeError[] DecodeErrors { get; }

    /// <summary>The relocation on each instruction, if any.</summary>
    public InstructionRelocations Relocations { get; internal set; } = new([]);

    /// <summary>Functions in order of their start.</summary>
    public List<BpfFunction> Functions { get; } = [];


    /// <summary>The instruction index starting at <paramref name="slot"/>; -1 for the second slot of ld_imm64 or out of range.
    /// The slot just past the end maps to the instruction count.</summary>
    /// <remarks>A binary search of <see cref="Slots"/>, which rise strictly (issue 8: a map of every slot was 4 MB per
    /// million slots).</remarks>
    public int InsnAtSlot(long slot)
    {
        if (slot < 0 || slot > SlotCount)
        {
            return -1;
        }

        if (slot == SlotCount)
        {
            return Instructions.Length;
        }

        return Slots.InsnAt((int)slot);
    }

    /// <summary>The function holding instruction <paramref name="insn"/>.</summary>
    /// <remarks>A binary search of <see cref="Functions"/>, which cover the instructions in order from 0 (issue 8:
    /// a reference per instruction was 8 MB per million instructions).</remarks>
    public BpfFunction FunctionAt(int insn)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(insn);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(insn, Instructions.Length);
        int lo = 0, hi = Functions.Count - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >>> 1;
            if (Functions[mid].StartInsn <= insn) { lo = mid; } else { hi = mid - 1; }
        }

        return Functions[lo];
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
