// SPDX-License-Identifier: MIT
using System.Globalization;

namespace BpfFixup.Text;

/// <summary>
/// A reusable, growable run of characters: how the report writers put a value together from its parts and hand it to
/// a JSON writer or a hash as a span, with no string per value (issue 8: 124k findings were as many strings each).
/// </summary>
internal sealed class CharBuffer
{
    private char[] chars = new char[256];

    /// <summary>The characters appended since the last <see cref="Clear"/>.</summary>
    public ReadOnlySpan<char> Span => chars.AsSpan(0, Length);

    /// <summary>How many characters it holds.</summary>
    public int Length { get; private set; }

    /// <summary>Empties it (keeping its storage).</summary>
    public CharBuffer Clear()
    {
        Length = 0;
        return this;
    }

    /// <summary>Appends <paramref name="text"/>.</summary>
    public CharBuffer Append(ReadOnlySpan<char> text)
    {
        Reserve(text.Length);
        text.CopyTo(chars.AsSpan(Length));
        Length += text.Length;
        return this;
    }

    /// <summary>Appends <paramref name="c"/>.</summary>
    public CharBuffer Append(char c)
    {
        Reserve(1);
        chars[Length++] = c;
        return this;
    }

    /// <summary>Appends <paramref name="value"/> in invariant decimal digits, as <see cref="System.Text.StringBuilder"/> does.</summary>
    public CharBuffer Append(int value)
    {
        Reserve(11);
        value.TryFormat(chars.AsSpan(Length), out int written, default, CultureInfo.InvariantCulture);
        Length += written;
        return this;
    }

    private void Reserve(int more)
    {
        if (Length + more > chars.Length)
        {
            Array.Resize(ref chars, Math.Max(chars.Length * 2, Length + more));
        }
    }
}
