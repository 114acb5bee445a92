// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Btf;
using BpfFixup.Diagnostics;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Model;

namespace BpfFixup.Rendering;

/// <summary>
/// Everything a listing needs about one code section, built once per section: labels, line_info and CO-RE records
/// by slot, and the xlated resolver. Renders the parts of an instruction line shared by the text and JSON outputs.
/// </summary>
internal sealed class SectionView
{
    private readonly Dictionary<int, List<BtfExtRecord>>? coreBySlot;
    private readonly ObjectSymbolResolver resolver;
    private readonly SectionLabelResolver labelResolver;
    private int decodedInsn = -1;
    private Instruction decoded;

    public SectionView(BpfObject obj, CodeSection section)
    {
        Object = obj;
        Section = section;
        Labels = SectionLabels.For(obj, section);
        Lines = LineInfoIndex.For(obj, section);
        resolver = new ObjectSymbolResolver(obj);
        labelResolver = new SectionLabelResolver(section, Labels);
        if (obj.Btf is not null && obj.BtfExt?.CoreRelo is { } relo)
        {
            // As llvm-objdump: the records of every group naming the section, and at an instruction's start only the
            // first of them in file order (llvm/lib/DebugInfo/BTF/BTFParser.cpp parseRelocInfo appends the groups
            // and stable-sorts by offset; findFieldReloc returns one record per address).
            foreach (var group in relo.AllFor(section.Name))
            {
                foreach (var r in group.Records)
                {
                    if (r.InsnOff % 8 == 0 && r.InsnOff / 8 < (uint)section.SlotCount)
                    {
                        coreBySlot ??= [];
                        coreBySlot.TryAdd((int)(r.InsnOff / 8), [r]);
                    }
                }
            }
        }
    }

    public BpfObject Object { get; }

    public CodeSection Section { get; }

    public SectionLabels Labels { get; }

    public LineInfoIndex Lines { get; }

    /// <summary>Instruction <paramref name="insn"/>, decoded once for the several parts of its line that need it.</summary>
    public Instruction InstructionAt(int insn)
    {
        if (insn != decodedInsn)
        {
            decoded = Section.Instructions[insn];
            decodedInsn = insn;
        }

        return decoded;
    }

    /// <summary>The raw bytes of instruction <paramref name="insn"/> (8 or 16).</summary>
    public ReadOnlySpan<byte> BytesOf(int insn) => BytesAt(Section.Slots[insn], Section.Slots.IsWide(insn) ? 2 : 1);

    /// <summary>The raw bytes of the <paramref name="count"/> slots from <paramref name="slot"/>: <see cref="BytesOf"/> for a caller that has them.</summary>
    public ReadOnlySpan<byte> BytesAt(int slot, int count) =>
        Section.Elf.Data.Slice(slot * InstructionDecoder.SlotSize, count * InstructionDecoder.SlotSize);

    /// <summary>Appends the llvm-objdump text of <paramref name="insn"/>, with the <c>&lt;sym+0xNN&gt;</c> jump annotation.</summary>
    public void AppendLlvm(StringBuilder sb, int insn)
    {
        labelResolver.MoveTo(insn);
        LlvmInstructionFormatter.Format(InstructionAt(insn), sb, labelResolver, LlvmSymbolStyle.Annotate);
    }

    /// <summary>Appends the kernel-disassembler text of <paramref name="insn"/>, calls named from relocations.</summary>
    public void AppendXlated(StringBuilder sb, int insn)
    {
        resolver.MoveTo(Section, insn);
        XlatedInstructionFormatter.Format(InstructionAt(insn), sb, resolver);
    }

    /// <summary>The CO-RE records starting at <paramref name="slot"/>, or null.</summary>
    public List<BtfExtRecord>? CoreAt(int slot) =>
        coreBySlot is not null && coreBySlot.TryGetValue(slot, out var l) ? l : null;

    /// <summary>Appends the CO-RE description of <paramref name="record"/> (the part after <c>CO-RE </c>).</summary>
    public void AppendCore(StringBuilder sb, BtfExtRecord record) => CoreReloText.Append(sb, record, Object.Btf!, Object.Elf.Endian);

    /// <summary>The source location whose line_info starts at <paramref name="slot"/>.</summary>
    public SourceLocation? SourceAt(int slot) => Lines.At(slot);

    /// <summary>The relocation type name of <paramref name="r"/>.</summary>
    public static string TypeName(ObjectRelocation r) => BpfRelocationTypeNames.NameOf(r.Raw.Type);
}
