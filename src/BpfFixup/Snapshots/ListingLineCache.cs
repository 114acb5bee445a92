// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Diff;
using BpfFixup.Text;

namespace BpfFixup.Snapshots;

/// <summary>
/// One <see cref="ListingLine"/> per distinct text, escaped (<see cref="Printable"/>) once: a listing repeats most of its
/// lines (<c>r1 = r6</c>, <c>exit</c>, a source comment), so a repeat costs a lookup, not a string and a line. A line
/// is immutable, so sharing it changes nothing a reader sees; equal lines are then often the same object, which the
/// ordinal comparisons of the diff notice first.
/// </summary>
internal sealed class ListingLineCache
{
    private readonly Dictionary<string, ListingLine> lines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ListingLine>.AlternateLookup<ReadOnlySpan<char>> bySpan;
    private char[] buffer = new char[128];

    public ListingLineCache() => bySpan = lines.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The line of text <paramref name="text"/> (unescaped).</summary>
    public ListingLine Of(string text)
    {
        if (!lines.TryGetValue(text, out var line))
        {
            line = new ListingLine(Escape(text));
            lines.Add(text, line);
        }

        return line;
    }

    /// <summary>The line of the text in <paramref name="sb"/> (unescaped).</summary>
    public ListingLine Of(StringBuilder sb)
    {
        if (buffer.Length < sb.Length)
        {
            buffer = new char[Math.Max(sb.Length, buffer.Length * 2)];
        }

        var text = buffer.AsSpan(0, sb.Length);
        sb.CopyTo(0, text, text.Length);
        if (!bySpan.TryGetValue(text, out var line))
        {
            string key = text.ToString();
            line = new ListingLine(Escape(key));
            lines.Add(key, line);
        }

        return line;
    }

    /// <summary>
    /// <see cref="Printable.Escape"/>, after a vectorised look for anything outside printable ASCII: no character from
    /// <c>' '</c> to <c>'~'</c> is one <see cref="Printable.NeedsEscape"/> rewrites, so such a text is its own escape.
    /// </summary>
    private static string Escape(string text) => text.AsSpan().IndexOfAnyExceptInRange(' ', '~') < 0 ? text : Printable.Escape(text);
}
