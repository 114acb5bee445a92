// SPDX-License-Identifier: MIT
using BpfFixup.Diff;

namespace BpfFixup.Snapshots;

/// <summary>
/// One function as <see cref="ProgramListingRenderer"/> rendered it, shared by every listing that shows it.
/// </summary>
/// <param name="Lines">Its lines, the function's name first.</param>
/// <param name="Ids">The id of each line in its <see cref="ListingLineCache"/>.</param>
/// <param name="Section">The ordinal of its code section in <c>BpfObject.CodeSections</c>.</param>
/// <param name="StartInsn">Its first instruction (index into the section's instructions).</param>
/// <param name="InsnLines">For instruction <c>StartInsn + k</c>, the line (into <paramref name="Lines"/>) that shows it; empty when not asked for.</param>
/// <param name="Anchors">The anchor of each line (see <see cref="FixupAlignment"/>), -1 for a line that shows no instruction; null when not asked for.</param>
/// <param name="IdSpace">The cache <paramref name="Ids"/> come from: ids of one cache are equal exactly when the texts are.</param>
internal sealed record RenderedFunction(IReadOnlyList<ListingLine> Lines, int[] Ids, int Section, int StartInsn, int[] InsnLines, long[]? Anchors, ListingLineCache IdSpace);
