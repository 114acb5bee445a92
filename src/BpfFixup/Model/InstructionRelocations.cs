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
    public ObjectRelocation? this[int insn]
    {
        get
        {
            // Listings and passes ask in instruction order: first try the entry found last and the one after it.
            int h = hint;
            if ((uint)h < (uint)insns.Length && insns[h] <= insn)
            {
                if (insns[h] == insn)
                {
                    return relocations[h];
                }

                if (h + 1 == insns.Length || insns[h + 1] > insn)
                {
                    return null;
                }

                if (insns[h + 1] == insn)
                {
                    hint = h + 1;
                    return relocations[h + 1];
                }
            }

            int at = Array.BinarySearch(insns, insn);
            if (at >= 0)
            {
                hint = at;
                return relocations[at];
            }

            if (~at > 0)
            {
                hint = ~at - 1; // the entry before insn: the next question in order takes the quick path above
            }

            return null;
        }
    }
}
