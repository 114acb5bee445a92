// SPDX-License-Identifier: MIT
using BpfFixup.Elf;

namespace BpfFixup.Model;

/// <summary>
/// A function: a FUNC symbol's instruction range in a code section. In a program section every function is
/// a program (libbpf rejects static ones); in <c>.text</c> functions are subprograms.
/// </summary>
public sealed class BpfFunction
{
    /// <summary>The function's name (its FUNC symbol, or the section name for code with no symbol).</summary>
    public required string Name { get; init; }

    /// <summary>The code section holding it.</summary>
    public required CodeSection Section { get; init; }

    /// <summary>Index of the FUNC symbol in .symtab, or -1 when synthesised.</summary>
    public required int SymbolIndex { get; init; }

    /// <summary>
    /// The function's position in its object's <see cref="BpfObject.Functions"/> (set when the object is made): the
    /// analysis keeps its per-function tables as arrays indexed by it, not dictionaries hashing the function (on an
    /// object of 2,000 programs, those lookups were 7 % of <c>check</c>).
    /// </summary>
    internal int Index { get; set; } = -1;

    /// <summary>First instruction index (inclusive).</summary>
    public required int StartInsn { get; init; }

    /// <summary>End instruction index (exclusive).</summary>
    public required int EndInsn { get; init; }

    /// <summary>STB_GLOBAL or STB_WEAK.</summary>
    public required bool IsGlobal { get; init; }

    /// <summary>First slot.</summary>
    public int StartSlot => Section.Slots[StartInsn];

    /// <summary>End slot (exclusive).</summary>
    public int EndSlot => EndInsn < Section.Instructions.Length ? Section.Slots[EndInsn] : Section.SlotCount;

    /// <summary>True for a function in <c>.text</c>.</summary>
    public bool IsSubprogram => Section.IsText;

    /// <summary>The libbpf section definition, for programs.</summary>
    public SectionDef? Definition => IsSubprogram ? null : Section.Definition;

    /// <summary>The FUNC symbol, when there is one.</summary>
    public ElfSymbol? Symbol { get; init; }

    /// <summary>Number of instructions.</summary>
    public int Length => EndInsn - StartInsn;

    /// <summary>
    /// Instructions its FUNC symbol's st_size covers, all of them without a sized symbol: libbpf loads st_size bytes of
    /// a function (libbpf.c bpf_object__add_programs), so code after them and before the next function is loaded by no
    /// one.
    /// </summary>
    public int LoadedLength
    {
        get
        {
            if (Symbol is not { Size: > 0 } sym || sym.Size % 8 != 0 || (long)(sym.Size / 8) >= EndSlot - StartSlot)
            {
                return Length;
            }

            long endSlot = StartSlot + (long)(sym.Size / 8);
            int k = 0;
            while (k < Length && Section.Slots[StartInsn + k] < endSlot)
            {
                k++;
            }

            return k;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Section.Name}/{Name}";
}
