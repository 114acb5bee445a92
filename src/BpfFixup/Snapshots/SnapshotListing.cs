// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Diff;

namespace BpfFixup.Snapshots;

/// <summary>
/// The text of one program's snapshot file (LF line endings) as its header and listing lines, made into one string
/// only when asked for: a snapshot that matches its verified file is compared line by line and never built (a
/// program's text can be megabytes, and a string that size is a large-object allocation).
/// </summary>
internal sealed class SnapshotListing(string header, IReadOnlyList<ListingLine> lines)
{
    /// <summary>The text: the header, then each line and an LF.</summary>
    public string Text()
    {
        // One string of the exact length, filled in place.
        int length = header.Length;
        foreach (var line in lines)
        {
            length = checked(length + line.Text.Length + 1);
        }

        return string.Create(length, (header, lines), static (span, state) =>
        {
            state.header.CopyTo(span);
            int at = state.header.Length;
            foreach (var line in state.lines)
            {
                line.Text.CopyTo(span[at..]);
                at += line.Text.Length;
                span[at++] = '\n';
            }
        });
    }

    /// <summary>
    /// Whether the file bytes <paramref name="file"/> are exactly the UTF-8 of <see cref="Text"/> without its final LFs:
    /// then the file's text (<see cref="SnapshotText.Decode"/>) is that text, so the snapshot matches without decoding
    /// the file or building the text. False says only that this quick comparison did not find them equal (a BOM, a CR,
    /// a final LF or a character that does not encode: the text comparison decides those).
    /// </summary>
    public bool Matches(ReadOnlySpan<byte> file)
    {
        // The pieces that remain after the final LFs go: through the last line with text, or the header trimmed.
        int last = lines.Count - 1;
        while (last >= 0 && lines[last].Text.Length == 0)
        {
            last--;
        }

        byte[] buffer = [];
        if (!Take(ref file, last < 0 ? header.AsSpan().TrimEnd('\n') : header, ref buffer))
        {
            return false;
        }

        for (int i = 0; i <= last; i++)
        {
            if (!Take(ref file, lines[i].Text, ref buffer))
            {
                return false;
            }

            if (i < last)
            {
                if (file.IsEmpty || file[0] != (byte)'\n')
                {
                    return false;
                }

                file = file[1..];
            }
        }

        return file.IsEmpty;
    }

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Whether <paramref name="file"/> starts with the UTF-8 of <paramref name="piece"/>; if so, moves past it.</summary>
    private static bool Take(ref ReadOnlySpan<byte> file, ReadOnlySpan<char> piece, ref byte[] buffer)
    {
        if (file.Length >= piece.Length && Ascii.Equals(file[..piece.Length], piece))
        {
            file = file[piece.Length..];
            return true;
        }

        if (Ascii.IsValid(piece))
        {
            return false;
        }

        int n;
        try
        {
            int max = Strict.GetMaxByteCount(piece.Length);
            if (buffer.Length < max)
            {
                buffer = new byte[max];
            }

            n = Strict.GetBytes(piece, buffer);
        }
        catch (EncoderFallbackException)
        {
            return false;
        }

        if (!file.StartsWith(buffer.AsSpan(0, n)))
        {
            return false;
        }

        file = file[n..];
        return true;
    }
}
