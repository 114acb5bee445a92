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

    /// <summary>Keeps the non-null entries of <paramref name="byInsn"/> (one per instruction index).</summary>
    internal InstructionRelocations(ObjectRelocation?[] byInsn)
    {
        int count = 0;
        foreach (var r in byInsn)
        {
            if (r is not null)
            {
                count++;
            }
        }

        insns = new int[count];
        relocations = new ObjectRelocation[count];
        for (int i = 0, k = 0; i < byInsn.Length; i++)
        {
            if (byInsn[i] is { } r)
            {
                insns[k] = i;
                relocations[k++] = r;
            }
        }
    }

    /// <summary>The number of instructions that carry a relocation.</summary>
    public int Count => insns.Length;

    /// <summary>The relocation on instruction <paramref name="insn"/>, or null.</summary>
    public ObjectRelocation? this[int insn]
    {
        get
        {
            int at = Array.BinarySearch(insns, insn);
            return at >= 0 ? relocations[at] : null;
        }
    }
}
