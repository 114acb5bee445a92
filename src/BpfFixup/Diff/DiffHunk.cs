// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>
/// One hunk of a unified diff: a window of A and B with the changes and their context.
/// Starts are 0-based indices; <see cref="Header"/> renders them 1-based as GNU diff does.
/// </summary>
/// <param name="OldStart">0-based index of the first A line in the hunk.</param>
/// <param name="OldCount">Number of A lines (context plus deleted).</param>
/// <param name="NewStart">0-based index of the first B line in the hunk.</param>
/// <param name="NewCount">Number of B lines (context plus inserted).</param>
/// <param name="Lines">The hunk's lines in print order.</param>
public sealed record DiffHunk(int OldStart, int OldCount, int NewStart, int NewCount, IReadOnlyList<HunkLine> Lines)
{
    /// <summary>
    /// The <c>@@ -l,n +l,n @@</c> line in GNU diff / git form: a count of 1 is omitted
    /// (<c>-l</c>), and an empty side gives the line before it (<c>-l,0</c>, 0 at the start of the file).
    /// </summary>
    public string Header => "@@ -" + Range(OldStart, OldCount) + " +" + Range(NewStart, NewCount) + " @@";

    private static string Range(int start, int count) => count switch
    {
        0 => start + ",0",
        1 => (start + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => (start + 1) + "," + count,
    };
}
