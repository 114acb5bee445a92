// SPDX-License-Identifier: MIT
namespace BpfFixup.Rewrite;

/// <summary>
/// Where each instruction of the rewritten code came from: the rewrite's old-to-new alignment, which
/// <c>diff --fixup</c> and <c>patch --diff</c> take instead of searching for one (issue 11).
/// </summary>
public sealed class InstructionMap
{
    // One entry per output instruction: the original instruction index, with InCopyBit set when the instruction is
    // in a specialised function's copy, or -1 for an instruction of an inline sequence. An index fits in 29 bits: a
    // section holds at most 2^32 bytes, 2^29 slots (ELF64 sh_size is checked against the file when loading).
    private const int InCopyBit = 1 << 30;
    private readonly int[][] origins;

    internal InstructionMap(int[][] origins) => this.origins = origins;

    /// <summary>The number of code sections (the input's, in section-header order; the output keeps that order).</summary>
    public int SectionCount => origins.Length;

    /// <summary>The number of instructions of output code section <paramref name="section"/>.</summary>
    public int InstructionCount(int section) => origins[section].Length;

    /// <summary>The origin of instruction <paramref name="insn"/> of output code section <paramref name="section"/>.</summary>
    public InstructionOrigin OriginOf(int section, int insn) =>
        origins[section][insn] is var o && o < 0 ? InstructionOrigin.Inserted : new InstructionOrigin(OldInsnOf(o), InCopyOf(o));

    internal static int Encode(int oldInsn, bool inCopy) => oldInsn < 0 ? -1 : oldInsn | (inCopy ? InCopyBit : 0);

    /// <summary>The original instruction index of an encoded origin, or -1.</summary>
    internal static int OldInsnOf(int origin) => origin < 0 ? -1 : origin & ~InCopyBit;

    /// <summary>True when an encoded origin is in a specialised function's copy.</summary>
    internal static bool InCopyOf(int origin) => origin >= 0 && (origin & InCopyBit) != 0;
}

/// <summary>The origin of one rewritten instruction.</summary>
/// <param name="Insn">The original instruction index in the same code section, or -1 for an inserted instruction.</param>
/// <param name="InCopy">True when the instruction is in a specialised function's fsession copy.</param>
public readonly record struct InstructionOrigin(int Insn, bool InCopy)
{
    /// <summary>An instruction of an inline sequence: it has no original.</summary>
    public static InstructionOrigin Inserted => new(-1, false);

    /// <summary>True for an instruction of an inline sequence.</summary>
    public bool IsInserted => Insn < 0;
}
