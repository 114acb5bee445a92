// SPDX-License-Identifier: MIT
using BpfFixup.Text;

namespace BpfFixup.Diff;

/// <summary>Writes the unified text of a <see cref="ListingDiffResult"/>.</summary>
internal static class ListingUnifiedWriter
{
    public static string Render(ListingDiffResult result, bool color)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Write(result, color, writer);
        return writer.ToString();
    }

    /// <summary>Writes the text <see cref="Render"/> returns to <paramref name="output"/>, one program at a time.</summary>
    public static void Write(ListingDiffResult result, bool color, TextWriter output)
    {
        foreach (var p in result.Programs)
        {
            if (p.Status == ProgramDiffStatus.Identical)
            {
                continue;
            }

            // Straight to the (buffered) writer: a program's diff can be megabytes, not worth a copy in memory first.
            foreach (var line in (p.New ?? p.Old)!.Header)
            {
                UnifiedDiff.AppendMeta(output, Printable.Escape(line), color);
            }

            UnifiedDiff.AppendMeta(output, "--- " + Printable.Escape(p.Old is null ? "/dev/null" : result.OldFile + ":" + p.Key), color);
            UnifiedDiff.AppendMeta(output, "+++ " + Printable.Escape(p.New is null ? "/dev/null" : result.NewFile + ":" + p.Key), color);
            var oldText = Texts(p.Old);
            var newText = Texts(p.New);
            var functions = new FunctionNames.Index(oldText);
            foreach (var hunk in p.Hunks)
            {
                UnifiedDiff.AppendHunk(output, hunk, oldText, newText, functions, color);
            }
        }
    }

    /// <summary>The printed text of each line of <paramref name="program"/> (none for a missing side), read through, not copied.</summary>
    internal static IReadOnlyList<string> Texts(ProgramListing? program) => program is null ? [] : new TextView(program.Lines);

    private sealed class TextView(IReadOnlyList<ListingLine> lines) : IReadOnlyList<string>
    {
        public int Count => lines.Count;

        public string this[int index] => lines[index].Text;

        public IEnumerator<string> GetEnumerator()
        {
            foreach (var line in lines)
            {
                yield return line.Text;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
