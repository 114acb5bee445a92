// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Diff;
using BpfFixup.Text;

namespace BpfFixup.Snapshots;

/// <summary>
/// One <see cref="ListingLine"/> per distinct printed text, escaped (<see cref="Printable"/>) once, with an id: a
/// listing repeats most of its lines (<c>r1 = r6</c>, <c>exit</c>, a source comment), so a repeat costs a lookup, not a
/// string and a line. A line is immutable, so sharing it changes nothing a reader sees. Two lines of one cache have the
/// same id exactly when their texts are equal (a raw text that escapes to another's text gets that line), so a diff of
/// listings from one cache compares ids instead of hashing strings.
/// </summary>
internal sealed class ListingLineCache
{
    private readonly Dictionary<string, (ListingLine Line, int Id)> lines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ListingLine Line, int Id)>.AlternateLookup<ReadOnlySpan<char>> bySpan;
    private char[] buffer = new char[128];
    private int next;

    public ListingLineCache() => bySpan = lines.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Makes room for about <paramref name="count"/> distinct lines.</summary>
    public void Reserve(int count) => lines.EnsureCapacity(lines.Count + count);

    /// <summary>The line of text <paramref name="text"/> (unescaped) and its id.</summary>
    public (ListingLine Line, int Id) Of(string text)
    {
        if (!lines.TryGetValue(text, out var entry))
        {
            entry = Add(text);
        }

        return entry;
    }

    /// <summary>The line of the text in <paramref name="sb"/> (unescaped) and its id.</summary>
    public (ListingLine Line, int Id) Of(StringBuilder sb)
    {
        if (buffer.Length < sb.Length)
        {
            buffer = new char[Math.Max(sb.Length, buffer.Length * 2)];
        }

        var text = buffer.AsSpan(0, sb.Length);
        sb.CopyTo(0, text, text.Length);
        return bySpan.TryGetValue(text, out var entry) ? entry : Add(text.ToString());
    }

    private (ListingLine Line, int Id) Add(string raw)
    {
        string text = Escape(raw);
        // An escaped text needs no escaping itself: as a raw text it is its own line, which this one shares.
        var entry = ReferenceEquals(text, raw) ? (new ListingLine(text), next++) : Of(text);
        lines.Add(raw, entry);
        return entry;
    }

    /// <summary>
    /// <see cref="Printable.Escape"/> (the same instance when nothing needs escaping), after a vectorised look for
    /// anything outside printable ASCII: no character from <c>' '</c> to <c>'~'</c> is one <see cref="Printable.NeedsEscape"/>
    /// rewrites, so such a text is its own escape.
    /// </summary>
    private static string Escape(string text) => text.AsSpan().IndexOfAnyExceptInRange(' ', '~') < 0 ? text : Printable.Escape(text);
}
