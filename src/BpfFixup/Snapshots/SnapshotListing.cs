// SPDX-License-Identifier: MIT
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
    /// Whether <paramref name="verified"/> is <see cref="Text"/> without its final LFs (<see cref="SnapshotText.Normalize"/>
    /// of a text without BOM or CR, which the listing's escaped lines never hold), compared piece by piece.
    /// </summary>
    public bool Matches(string verified)
    {
        // The pieces that remain after the final LFs go: through the last line with text, or the header trimmed.
        int last = lines.Count - 1;
        while (last >= 0 && lines[last].Text.Length == 0)
        {
            last--;
        }

        var expected = verified.AsSpan();
        var head = last < 0 ? header.AsSpan().TrimEnd('\n') : header.AsSpan();
        if (!expected.StartsWith(head, StringComparison.Ordinal))
        {
            return false;
        }

        expected = expected[head.Length..];
        for (int i = 0; i <= last; i++)
        {
            var text = lines[i].Text.AsSpan();
            if (!expected.StartsWith(text, StringComparison.Ordinal))
            {
                return false;
            }

            expected = expected[text.Length..];
            if (i < last)
            {
                if (expected.Length == 0 || expected[0] != '\n')
                {
                    return false;
                }

                expected = expected[1..];
            }
        }

        return expected.Length == 0;
    }
}
