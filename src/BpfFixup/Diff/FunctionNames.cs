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
    public static string? Before(IReadOnlyList<string> lines, int firstLine) => new Index(lines).Before(firstLine);

    /// <summary>
    /// The function lines of one listing, found once, so that the name for each of its hunks is a binary search
    /// rather than a walk back to the listing's start (which made a diff with a hunk per call site quadratic;
    /// xdiff's xemit.c bounds its own walk by the previous hunk's function line the same way).
    /// </summary>
    public sealed class Index
    {
        private readonly List<int> at = [];
        private readonly List<string> names = [];

        /// <summary>Finds the function lines of <paramref name="lines"/> (the old side's lines).</summary>
        public Index(IReadOnlyList<string> lines)
        {
            ArgumentNullException.ThrowIfNull(lines);
            for (int i = 0; i < lines.Count; i++)
            {
                if (Of(lines[i]) is { } name)
                {
                    at.Add(i);
                    names.Add(name);
                }
            }
        }

        /// <summary>The function lines <paramref name="at"/> (ascending) and their <paramref name="names"/>, found already.</summary>
        internal Index(List<int> at, List<string> names)
        {
            this.at = at;
            this.names = names;
        }

        /// <summary>The name of the last function line before <paramref name="firstLine"/> (0-based), or null.</summary>
        public string? Before(int firstLine)
        {
            int k = at.BinarySearch(firstLine);
            int last = (k >= 0 ? k : ~k) - 1; // the function lines strictly before firstLine
            return last >= 0 ? names[last] : null;
        }
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
