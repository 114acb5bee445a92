// SPDX-License-Identifier: MIT
namespace BpfFixup.Model;

/// <summary>
/// The relocation on each instruction of a code section, stored sparsely: most instructions carry none, so the
/// instructions that do are kept sorted with their relocations (issue 8: a reference per instruction was 8 MB
/// per million instructions, most of it null).
/// </summary>
public sealed class InstructionRelocations
{
    private readonly int[] insns;
    private readonly ObjectRelocation[] relocations;
    private int hint; // a position in insns, only ever a guess (checked before use, so races are harmless)

    /// <summary>From the instructions that carry a relocation, ascending and distinct, and their relocations.</summary>
    internal InstructionRelocations(int[] insns, ObjectRelocation[] relocations)
    {
        this.insns = insns;
        this.relocations = relocations;
    }

    /// <summary>The number of instructions that carry a relocation.</summary>
    public int Count => insns.Length;

    /// <summary>The relocation on instruction <paramref name="insn"/>, or null.</summary>
    public ObjectRelocation? this[int insn] => IndexOf(insn) is var at && at >= 0 ? relocations[at] : null;

    /// <summary>The instruction of entry <paramref name="k"/> (0 to <see cref="Count"/> - 1), in ascending order.</summary>
    internal int InsnAt(int k) => insns[k];

    /// <summary>The relocation of entry <paramref name="k"/> (0 to <see cref="Count"/> - 1).</summary>
    internal ObjectRelocation RelocationAt(int k) => relocations[k];

    /// <summary>The first entry whose instruction is <paramref name="insn"/> or later (<see cref="Count"/> when none is).</summary>
    internal int FirstAtOrAfter(int insn) => Array.BinarySearch(insns, insn) is var at && at >= 0 ? at : ~at;

    /// <summary>The entry of instruction <paramref name="insn"/>, or -1 when it carries no relocation.</summary>
    private int IndexOf(int insn)
    {
        // Most instructions carry none: outside the relocated range (a section without relocations, the code before the
        // first or after the last) the answer needs no search.
        if (insns.Length == 0 || insn < insns[0] || insn > insns[^1])
        {
            return -1;
        }

        // Listings and passes ask in instruction order: first try the entry found last and the one after it.
        int h = hint;
        if ((uint)h < (uint)insns.Length && insns[h] <= insn)
        {
            if (insns[h] == insn)
            {
                return h;
            }

            if (h + 1 == insns.Length || insns[h + 1] > insn)
            {
                return -1;
            }

            if (insns[h + 1] == insn)
            {
                hint = h + 1;
                return h + 1;
            }
        }

        int at = Array.BinarySearch(insns, insn);
        if (at >= 0)
        {
            hint = at;
            return at;
        }

        hint = ~at - 1; // the entry before insn (insn > insns[0]): the next question in order takes the quick path above
        return -1;
    }
}
