// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>
/// Unified diff of two texts (<c>--- a/name</c>, <c>+++ b/name</c>, <c>@@</c> hunks), using
/// <see cref="StreamDiffer"/> rather than DiffPlex's <c>UnidiffRenderer</c>: that avoids its
/// <c>ignoreWhitespace = true</c> default and its extra empty line for a trailing newline, and keeps
/// one algorithm for snapshots and instruction streams. Both texts are split on LF after CRLF/CR are
/// folded to LF and one trailing newline is dropped, so line-ending noise never shows as a change.
/// Output lines end in LF; the result is empty when the texts are equal.
/// </summary>
public static class UnifiedDiff
{
    /// <summary>Renders the diff of <paramref name="oldText"/> → <paramref name="newText"/>.</summary>
    /// <param name="oldText">The old (expected, verified) text.</param>
    /// <param name="newText">The new (actual, received) text.</param>
    /// <param name="oldName">Label after <c>--- </c>, e.g. <c>a/x.verified.txt</c>.</param>
    /// <param name="newName">Label after <c>+++ </c>, e.g. <c>b/x.verified.txt</c>.</param>
    /// <param name="context">Context lines around each change.</param>
    /// <returns>The diff text, or an empty string when there is no difference.</returns>
    public static string Render(string oldText, string newText, string oldName, string newName, int context = StreamDiffer.DefaultContext)
    {
        var oldLines = SplitLines(oldText);
        var newLines = SplitLines(newText);
        var script = StreamDiffer.Diff(oldLines, newLines);
        if (!script.HasChanges)
        {
            return string.Empty;
        }

        using var sb = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        sb.Write("--- ");
        sb.Write(oldName);
        sb.Write('\n');
        sb.Write("+++ ");
        sb.Write(newName);
        sb.Write('\n');
        var functions = new FunctionNames.Index(oldLines);
        foreach (var hunk in StreamDiffer.Hunks(script, context))
        {
            AppendHunk(sb, hunk, oldLines, newLines, functions);
        }

        return sb.ToString();
    }

    /// <summary>
    /// Appends a hunk header (with the function name of <see cref="FunctionNames"/> after it, as git prints it) and
    /// its lines, printing context lines from A; with <paramref name="color"/> in git's colours (<see cref="DiffColors"/>).
    /// </summary>
    internal static void AppendHunk(TextWriter sb, DiffHunk hunk, IReadOnlyList<string> oldLines, IReadOnlyList<string> newLines, FunctionNames.Index functions, bool color = false)
    {
        AppendHunkHeader(sb, hunk, functions, color);
        if (hunk.Lines is HunkLineList runs)
        {
            foreach (var line in runs)
            {
                AppendLine(sb, line, oldLines, newLines, color);
            }
        }
        else
        {
            foreach (var line in hunk.Lines)
            {
                AppendLine(sb, line, oldLines, newLines, color);
            }
        }
    }

    /// <summary>The <c>@@</c> line of <see cref="AppendHunk"/>, with its function name.</summary>
    internal static void AppendHunkHeader(TextWriter sb, DiffHunk hunk, FunctionNames.Index functions, bool color)
    {
        string? function = functions.Before(hunk.OldStart);
        if (color)
        {
            // git: frag colour for "@@ … @@", then " " + reset + the (uncoloured) function name + reset.
            sb.Write(DiffColors.Frag);
            sb.Write(hunk.Header);
            sb.Write(DiffColors.Reset);
            if (function is not null)
            {
                sb.Write(' ');
                sb.Write(DiffColors.Reset);
                sb.Write(function);
                sb.Write(DiffColors.Reset);
            }
        }
        else
        {
            sb.Write(hunk.Header);
            if (function is not null)
            {
                sb.Write(' ');
                sb.Write(function);
            }
        }

        sb.Write('\n');
    }

    private static void AppendLine(TextWriter sb, HunkLine line, IReadOnlyList<string> oldLines, IReadOnlyList<string> newLines, bool color)
    {
        var text = line.Kind == EditKind.Insert ? newLines[line.NewIndex] : oldLines[line.OldIndex];
        AppendLine(sb, line.Prefix, text, Paint(line.Kind, color));
    }

    /// <summary>The colour a line of <paramref name="kind"/> is painted in, or null (no colour, or a context line).</summary>
    internal static string? Paint(EditKind kind, bool color) => !color ? null : kind switch
    {
        EditKind.Delete => DiffColors.Old,
        EditKind.Insert => DiffColors.New,
        _ => null,
    };

    /// <summary>Writes one hunk line: <paramref name="prefix"/> and <paramref name="text"/>, in <paramref name="paint"/> when it is not null.</summary>
    internal static void AppendLine(TextWriter sb, char prefix, string text, string? paint)
    {
        if (paint is not null)
        {
            sb.Write(paint);
        }

        sb.Write(prefix);
        sb.Write(text);
        if (paint is not null)
        {
            sb.Write(DiffColors.Reset);
        }

        sb.Write('\n');
    }

    /// <summary>Writes a meta line (<c>---</c>, <c>+++</c>, a header), bold when <paramref name="color"/>.</summary>
    internal static void AppendMeta(TextWriter sb, string line, bool color)
    {
        if (color)
        {
            sb.Write(DiffColors.Meta);
        }

        sb.Write(line);
        if (color)
        {
            sb.Write(DiffColors.Reset);
        }

        sb.Write('\n');
    }

    /// <summary>
    /// Splits text into lines: CRLF and CR count as LF, one final newline ends the last line rather
    /// than starting an empty one, and the empty text has no lines.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The lines, without terminators.</returns>
    public static IReadOnlyList<string> SplitLines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        if (normalized.Length == 0)
        {
            return [];
        }

        if (normalized[^1] == '\n')
        {
            normalized = normalized[..^1];
        }

        return normalized.Split('\n');
    }
}
