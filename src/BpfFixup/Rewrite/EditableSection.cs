// SPDX-License-Identifier: MIT
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>
/// A code section as an editable list of <see cref="EditableInstruction"/>s with labels: for each original instruction
/// (and for each instruction of a specialised function's copy) the first output instruction made from it. Built once
/// in linear time; <see cref="Layout"/> is the one pass that gives every instruction its slot (the kernel patches one
/// site at a time, O(sites x length); kernel/bpf/verifier.c bpf_patch_insn_data).
/// </summary>
internal sealed class EditableSection
{
    private readonly EditableInstruction[] originals;
    private readonly Dictionary<BpfFunction, EditableInstruction[]> copies = [];
    private readonly List<int> pendingOriginals = [];
    private readonly List<(BpfFunction Function, int Offset)> pendingCopies = [];

    public EditableSection(CodeSection section)
    {
        Section = section;
        originals = new EditableInstruction[section.Instructions.Length + 1];
    }

    public CodeSection Section { get; }

    /// <summary>The output instructions, in order.</summary>
    public List<EditableInstruction> Instructions { get; } = [];

    /// <summary>Stands for the position just past the last instruction (a label may point there).</summary>
    public EditableInstruction End { get; } = new();

    /// <summary>The number of slots after <see cref="Layout"/>.</summary>
    public int SlotCount => End.Slot;

    public bool Changed { get; set; }

    /// <summary>The output instruction that original instruction <paramref name="oldInsn"/> of <paramref name="instance"/> starts at.</summary>
    /// <remarks>For the original instance, <c>oldInsn == Instructions.Length</c> is the end of the original code (the first
    /// copy, or <see cref="End"/>); for a copy, the function's end is the end of the copy.</remarks>
    public EditableInstruction LabelOf(FunctionInstance instance, int oldInsn) =>
        instance.IsCopy ? copies[instance.Function][oldInsn - instance.Function.StartInsn] : originals[oldInsn];

    /// <summary>The output instruction that original instruction <paramref name="oldInsn"/> starts at (its original instance).</summary>
    public EditableInstruction OriginalAt(int oldInsn) => originals[oldInsn];

    /// <summary>Marks where original instruction <paramref name="oldInsn"/> (of the original instance) starts: at the next instruction added.</summary>
    public void MarkOriginal(int oldInsn) => pendingOriginals.Add(oldInsn);

    /// <summary>Starts the copy of <paramref name="f"/>; <see cref="MarkCopy"/> marks its instructions.</summary>
    public void BeginCopy(BpfFunction f) => copies[f] = new EditableInstruction[f.Length + 1];

    /// <summary>Marks where instruction <paramref name="oldInsn"/> of <paramref name="f"/>'s copy starts (its end: <c>f.EndInsn</c>).</summary>
    public void MarkCopy(BpfFunction f, int oldInsn) => pendingCopies.Add((f, oldInsn - f.StartInsn));

    /// <summary>Appends <paramref name="insn"/>; the marks made since the last one now point at it.</summary>
    public void Add(EditableInstruction insn)
    {
        Resolve(insn);
        Instructions.Add(insn);
    }

    /// <summary>Ends the section: the marks still open point at <see cref="End"/>.</summary>
    public void Complete() => Resolve(End);

    private void Resolve(EditableInstruction at)
    {
        foreach (int i in pendingOriginals)
        {
            originals[i] = at;
        }

        foreach (var (f, k) in pendingCopies)
        {
            copies[f][k] = at;
        }

        pendingOriginals.Clear();
        pendingCopies.Clear();
    }

    /// <summary>The layout pass: each instruction's slot is the sum of the widths before it (RFC 9669 §5.4).</summary>
    public void Layout()
    {
        int slot = 0;
        foreach (var insn in Instructions)
        {
            insn.Slot = slot;
            slot += insn.Insn.Width;
        }

        End.Slot = slot;
    }
}
