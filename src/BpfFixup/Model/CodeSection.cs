// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using BpfFixup.Elf;
using BpfFixup.Isa;

namespace BpfFixup.Model;

/// <summary>
/// An executable section decoded into instructions, with each instruction's slot, relocation and function.
/// </summary>
public sealed class CodeSection
{
    /// <summary>Decodes <paramref name="elf"/>'s bytes once: the kind of each instruction, its slot, the undefined encodings.</summary>
    internal CodeSection(ElfSection elf, ByteOrder order)
    {
        Elf = elf;
        var data = elf.Memory;
        var code = data.Span;
        int slots = code.Length / InstructionDecoder.SlotSize;

        // Count first (a slot is wide exactly when the decoder makes it so), so every array is allocated once at its size.
        int count = 0;
        for (int slot = 0; slot < slots; count++)
        {
            slot += code[slot * InstructionDecoder.SlotSize] == Opcodes.LdImm64 && (slot + 2) * InstructionDecoder.SlotSize <= code.Length ? 2 : 1;
        }

        var kinds = new InstructionKind[count];
        var wide = new ulong[(count + 63) >> 6];
        List<DecodeError>? errors = null;
        for (int slot = 0, i = 0; slot < slots; i++)
        {
            bool isWide = code[slot * InstructionDecoder.SlotSize] == Opcodes.LdImm64 && (slot + 2) * InstructionDecoder.SlotSize <= code.Length;
            var word = code[(slot * InstructionDecoder.SlotSize)..];
            var insn = InstructionDecoder.FromWords(BinaryPrimitives.ReadUInt64LittleEndian(word), isWide ? BinaryPrimitives.ReadUInt64LittleEndian(word[8..]) : 0, isWide, order);
            var kind = InstructionClassifier.Explain(insn, out var reason);
            kinds[i] = kind;
            if (kind == InstructionKind.Invalid)
            {
                (errors ??= []).Add(new DecodeError(slot, insn.Opcode, reason ?? "invalid instruction"));
            }

            if (insn.IsWide)
            {
                wide[i >> 6] |= 1UL << (i & 63);
            }

            slot += insn.Width;
        }

        Slots = new InstructionSlots(wide, count, slots);
        Instructions = new SectionInstructions(data, order, Slots);
        SlotCount = slots;
        DecodeErrors = errors?.ToArray() ?? [];
        Kinds = kinds;
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

    /// <summary>Decoded instructions (decoded from the section's bytes when read; none is stored).</summary>
    public SectionInstructions Instructions { get; }

    /// <summary>The kind of each instruction (classified once, at decode).</summary>
    public InstructionKind[] Kinds { get; }

    /// <summary>First slot of each instruction.</summary>
    public InstructionSlots Slots { get; }

    /// <summary>Number of 8-byte slots.</summary>
    public int SlotCount { get; }

    /// <summary>Undefined encodings found while decoding.</summary>
    public DecodeError[] DecodeErrors { get; }

    /// <summary>The relocation on each instruction, if any.</summary>
    public InstructionRelocations Relocations { get; internal set; } = new([], []);

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
