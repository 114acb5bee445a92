// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>
/// The function name git prints after a hunk header (<c>@@ -l,n +l,n @@ name</c>): the nearest line above the hunk
/// that starts a function. git's default rule (xdiff/xemit.c, <c>def_ff</c>, searching back from the line before the
/// hunk in the old file) takes a line that starts with a letter, <c>_</c> or <c>$</c>, cut to 80 bytes; in a program
/// listing those are exactly the <c>name:</c> lines of programs and subprograms (instructions and comments are
/// indented, labels start with <c>.</c>), and the name is shown without its colon.
/// </summary>
public static class FunctionNames
{
    /// <summary>xdiff's <c>struct func_line</c> buffer: a longer name is cut.</summary>
    public const int MaxLength = 80;

    /// <summary>The function name for a hunk starting at <paramref name="firstLine"/> (0-based) of <paramref name="lines"/>, or null.</summary>
    /// <param name="lines">The old side's lines.</param>
    /// <param name="firstLine">The hunk's first line (its <c>OldStart</c>).</param>
    public static string? Before(IReadOnlyList<string> lines, int firstLine)
    {
        ArgumentNullException.ThrowIfNull(lines);
        for (int i = Math.Min(firstLine, lines.Count) - 1; i >= 0; i--)
        {
            if (Of(lines[i]) is { } name)
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>The function a listing line starts, or null when it starts none.</summary>
    public static string? Of(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length < 2 || line[^1] != ':' || !(char.IsAsciiLetter(line[0]) || line[0] is '_' or '$'))
        {
            return null;
        }

        string name = line[..^1];
        return name.Length > MaxLength ? name[..MaxLength] : name;
    }
}
