// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Diff;
using BpfFixup.Text;

namespace BpfFixup.Snapshots;

/// <summary>
/// The text of one program's snapshot file (LF line endings) as its header and listing lines, made into one string
/// only when asked for: a snapshot that matches its verified file is compared line by line and never built (a
/// program's text can be megabytes, and a string that size is a large-object allocation).
/// </summary>
/// <param name="header">The header, each line with its LF, and the empty line after it.</param>
/// <param name="lines">The listing's lines.</param>
/// <param name="ids">
/// The same lines as ids of <paramref name="bytes"/>' cache, one array per function (the renderer's, shared by the
/// programs that reach the function), or null: then a function several programs reach is compared as one array of
/// UTF-8 (<see cref="FunctionBytes"/>, encoded once), and every other line is compared from the cache's text as it stands.
/// </param>
/// <param name="bytes">The UTF-8 of the lines <paramref name="ids"/> name.</param>
internal sealed class SnapshotListing(string header, IReadOnlyList<ListingLine> lines, IReadOnlyList<int[]>? ids = null, FunctionBytes? bytes = null)
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
        if (ids is not null && bytes is not null)
        {
            return MatchesIds(file);
        }

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

    /// <summary>
    /// <see cref="Matches"/> from the lines' cached UTF-8: the file must be the bytes of the text (the header, then each
    /// line and its LF) without their final LFs, that is a prefix of them after which only LFs remain, ending in a byte
    /// other than LF (or empty).
    /// </summary>
    private bool MatchesIds(ReadOnlySpan<byte> file)
    {
        if (!file.IsEmpty && file[^1] == (byte)'\n')
        {
            return false;
        }

        byte[] buffer = [];
        if (!TakeOrPrefix(ref file, header, ref buffer))
        {
            return false;
        }

        var cache = bytes!.Cache;
        foreach (var function in ids!)
        {
            if (bytes.TryGetShared(function, out var shared))
            {
                if (!Step(ref file, shared))
                {
                    return false;
                }

                continue;
            }

            foreach (int id in function)
            {
                if (!Take(ref file, cache[id].Text, ref buffer) || !Step(ref file, "\n"u8))
                {
                    return false;
                }
            }
        }

        return file.IsEmpty;
    }

    /// <summary>
    /// Whether <paramref name="file"/> starts with <paramref name="piece"/>, or is a prefix of it after which the piece
    /// holds only LFs (the final LFs a file leaves out); moves past what it matched.
    /// </summary>
    private static bool Step(ref ReadOnlySpan<byte> file, ReadOnlySpan<byte> piece)
    {
        int n = Math.Min(piece.Length, file.Length);
        if (!file[..n].SequenceEqual(piece[..n]))
        {
            return false;
        }

        file = file[n..];
        return n == piece.Length || !piece[n..].ContainsAnyExcept((byte)'\n');
    }

    /// <summary>
    /// <see cref="Take"/>, or when <paramref name="file"/> ends first, whether it is a prefix of the UTF-8 of
    /// <paramref name="piece"/> after which only LFs remain (the header of an empty listing, its final LFs left out).
    /// </summary>
    private static bool TakeOrPrefix(ref ReadOnlySpan<byte> file, string piece, ref byte[] buffer)
    {
        if (Take(ref file, piece, ref buffer))
        {
            return true;
        }

        var trimmed = piece.AsSpan().TrimEnd('\n');
        var rest = file;
        if (!Take(ref rest, trimmed, ref buffer) || !rest.IsEmpty)
        {
            return false;
        }

        file = rest;
        return true;
    }

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
            int max = StrictUtf8.Encoding.GetMaxByteCount(piece.Length);
            if (buffer.Length < max)
            {
                buffer = new byte[max];
            }

            n = StrictUtf8.Encoding.GetBytes(piece, buffer);
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
