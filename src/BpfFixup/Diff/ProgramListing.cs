// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>
/// The instruction listing of one program, the unit <see cref="ListingDiff"/> matches and diffs.
/// </summary>
/// <param name="Section">ELF section, e.g. <c>fsession/foo</c>.</param>
/// <param name="Name">Program (function symbol) name.</param>
/// <param name="Lines">The listing lines in order.</param>
/// <param name="InstructionCount">Instruction count for the stat table (an ld_imm64 counts as the caller decides).</param>
public sealed record ProgramListing(string Section, string Name, IReadOnlyList<ListingLine> Lines, int InstructionCount)
{
    /// <summary>The join key: <c>Section + "/" + Name</c>.</summary>
    public string Key => Section + "/" + Name;

    /// <summary>
    /// Optional header lines (e.g. formatter flavour, endianness). They are not compared; the unified
    /// output prints them before the <c>---</c> line of a changed program, as git prints extended headers.
    /// </summary>
    public IReadOnlyList<string> Header { get; init; } = [];

    /// <summary>
    /// The runs of <see cref="Lines"/> in order (one per function, as the renderer builds them), each shared by
    /// every listing that shows it, or null when unknown. <see cref="ListingDiff"/> interns a shared run once.
    /// </summary>
    internal IReadOnlyList<IReadOnlyList<ListingLine>>? Segments { get; init; }

    /// <summary>
    /// For each of <see cref="Segments"/>, an id per line drawn from <see cref="IdSpace"/>: within one space two lines
    /// have the same id exactly when their <see cref="ListingLine.Compare"/> texts are equal. Null when unknown.
    /// </summary>
    internal IReadOnlyList<int[]>? SegmentIds { get; init; }

    /// <summary>What <see cref="SegmentIds"/> are drawn from; listings of one space compare by id.</summary>
    internal object? IdSpace { get; init; }

    /// <summary>
    /// The <see cref="Lines"/> that <see cref="Segments"/> and <see cref="SegmentIds"/> describe: a copy made with other
    /// lines (<c>with { Lines = … }</c>) no longer is them, and is compared by its lines' text.
    /// </summary>
    internal IReadOnlyList<ListingLine>? SegmentedLines { get; init; }

    /// <summary>Whether <see cref="Segments"/> (and <see cref="SegmentIds"/>, when set) describe <see cref="Lines"/>.</summary>
    internal bool HasSegments => Segments is not null && ReferenceEquals(SegmentedLines, Lines);
}
