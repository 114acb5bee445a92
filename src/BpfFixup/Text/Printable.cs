// SPDX-License-Identifier: MIT
using System.Buffers;
using System.Globalization;
using System.Text;

namespace BpfFixup.Text;

/// <summary>
/// The one escaper of text outputs. Names from an ELF file (sections, symbols, BTF types, source file names and
/// lines) and from the command line may hold anything; printed raw, a newline forges an output line and an ESC
/// drives the terminal. Control characters become C-style escapes as llvm and binutils tools print
/// non-printables: <c>\n</c>, <c>\r</c>, <c>\x1b</c>, <c>\x7f</c>; C1 controls and the Unicode line separators
/// and bidirectional overrides (CVE-2021-42574, "Trojan Source") become <c>\u0085</c>, <c>\u202e</c>: as in C,
/// <c>\u</c> names a character and <c>\x</c> a byte, so a byte that is not valid UTF-8 (kept by
/// <see cref="RawUtf8.Decode"/>) is <c>\xff</c>, and two names that differ print differently. Tab and everything
/// else are kept (a backslash too: C source lines are full of them, and llvm-objdump prints them as they are).
/// JSON and SARIF escape by their own rules and do not use this (<see cref="RawUtf8"/> says what they show).
/// </summary>
public static class Printable
{
    // The characters NeedsEscape names and the surrogates (a lone one is escaped, a pair kept), for a vectorised search: listings and reports pass every line through
    // here, and nearly none needs a change (issue 11: a char-by-char walk of a StringBuilder was 10 % of dump).
    private static readonly SearchValues<char> Escaped = SearchValues.Create(EscapedChars());

    /// <summary><paramref name="text"/> with every character that is not printable escaped; the same string when none is.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        int first = IndexOfEscape(text);
        if (first < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 8);
        sb.Append(text, 0, first);
        Append(sb, text.AsSpan(first));
        return sb.ToString();
    }

    /// <summary>
    /// Escapes, in place, what was appended to <paramref name="sb"/> since <paramref name="start"/>: how a renderer
    /// that builds a line from many parts makes the whole line safe at once.
    /// </summary>
    public static StringBuilder EscapeTail(StringBuilder sb, int start)
    {
        ArgumentNullException.ThrowIfNull(sb);
        int found = -1, chunkStart = 0;
        foreach (var chunk in sb.GetChunks())
        {
            var span = chunk.Span;
            int chunkEnd = chunkStart + span.Length;
            if (chunkEnd > start)
            {
                int from = Math.Max(start - chunkStart, 0);
                int at = IndexOfEscape(span[from..]);
                if (at >= 0)
                {
                    found = chunkStart + from + at;
                    break;
                }
            }

            chunkStart = chunkEnd;
        }

        if (found < 0)
        {
            return sb;
        }

        string tail = sb.ToString(found, sb.Length - found);
        sb.Length = found;
        return Append(sb, tail);
    }

    /// <summary>Appends <paramref name="text"/> to <paramref name="sb"/>, escaped.</summary>
    public static StringBuilder Append(StringBuilder sb, ReadOnlySpan<char> text)
    {
        ArgumentNullException.ThrowIfNull(sb);
        while (true)
        {
            int at = IndexOfEscape(text);
            if (at < 0)
            {
                return sb.Append(text);
            }

            sb.Append(text[..at]);
            char c = text[at];
            _ = c switch
            {
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                < '\u0080' => sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)),
                _ when RawUtf8.IsByteChar(c) => sb.Append("\\x").Append(RawUtf8.ByteOf(c).ToString("x2", CultureInfo.InvariantCulture)),
                _ => sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
            };
            text = text[(at + 1)..];
        }
    }

    /// <summary>
    /// True for the characters <see cref="Escape"/> rewrites; a surrogate only when it is not half of a pair, which a
    /// character alone cannot tell: <see cref="Escape"/> rewrites every lone one (<see cref="RawUtf8"/>'s bytes among them).
    /// </summary>
    public static bool NeedsEscape(char c) => c switch
    {
        '\t' => false,
        < ' ' or '\u007f' => true,
        >= '\u0080' and <= '\u009f' => true,
        '\u2028' or '\u2029' => true,
        >= '\u202a' and <= '\u202e' => true,
        >= '\u2066' and <= '\u2069' => true,
        _ => false,
    };

    /// <summary>The first character of <paramref name="text"/> that needs escaping, or -1.</summary>
    private static int IndexOfEscape(ReadOnlySpan<char> text)
    {
        // Printable ASCII first (a plain vectorised range test); the full set only from the first character outside it.
        int other = text.IndexOfAnyExceptInRange(' ', '~');
        if (other < 0)
        {
            return -1;
        }

        int from = other;
        while (true)
        {
            int at = text[from..].IndexOfAny(Escaped);
            if (at < 0)
            {
                return -1;
            }

            at += from;
            if (!char.IsHighSurrogate(text[at]) || at + 1 >= text.Length || !char.IsLowSurrogate(text[at + 1]))
            {
                return at;
            }

            from = at + 2; // a surrogate pair: one character, kept
        }
    }

    private static string EscapedChars()
    {
        var chars = new StringBuilder();
        for (int c = 0; c <= char.MaxValue; c++)
        {
            if (NeedsEscape((char)c) || char.IsSurrogate((char)c))
            {
                chars.Append((char)c);
            }
        }

        return chars.ToString();
    }
}
