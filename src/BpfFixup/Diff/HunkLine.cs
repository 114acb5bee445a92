// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>
/// One line of a hunk. For <see cref="EditKind.Equal"/> both indices are valid; for
/// <see cref="EditKind.Delete"/> only <paramref name="OldIndex"/>, for <see cref="EditKind.Insert"/>
/// only <paramref name="NewIndex"/> (the other is -1).
/// </summary>
/// <param name="Kind">Context, deleted or inserted.</param>
/// <param name="OldIndex">0-based index in A, or -1.</param>
/// <param name="NewIndex">0-based index in B, or -1.</param>
public readonly record struct HunkLine(EditKind Kind, int OldIndex, int NewIndex)
{
    /// <summary>The unified diff prefix: space, '-' or '+'.</summary>
    public char Prefix => Kind switch
    {
        EditKind.Delete => '-',
        EditKind.Insert => '+',
        _ => ' ',
    };
}
