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
        var repeated = new RepeatedHunks(result);
        var functionLines = new FunctionLines();
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

            var oldText = Texts(p.Old);
            var newText = Texts(p.New);
            var functions = functionLines.Of(p.Old);
            var repeats = repeated.Plan(p);

            // Before the ---, where a reader of unified diffs takes a line for a header it ignores (as git's extended headers).
            foreach (var r in repeats)
            {
                UnifiedDiff.AppendMeta(output, Printable.Escape(Note(r)), color);
            }

            UnifiedDiff.AppendMeta(output, "--- " + Printable.Escape(p.Old is null ? "/dev/null" : result.OldFile + ":" + p.Key), color);
            UnifiedDiff.AppendMeta(output, "+++ " + Printable.Escape(p.New is null ? "/dev/null" : result.NewFile + ":" + p.Key), color);
            for (int h = 0, r = 0; h < p.Hunks.Count; h++)
            {
                if (r < repeats.Count && h == repeats[r].Start)
                {
                    h = repeats[r++].End - 1;
                    continue;
                }

                WriteHunk(output, p.Hunks[h], p.Old, p.New, oldText, newText, functions, color);
            }
        }
    }

    /// <summary>
    /// <see cref="UnifiedDiff.AppendHunk"/>, its lines read run by run (<see cref="HunkLineList.Parts"/>) from the runs
    /// of the listing (<see cref="SegmentedLines.Locate"/>) instead of one index at a time through three lists.
    /// </summary>
    private static void WriteHunk(TextWriter output, DiffHunk hunk, ProgramListing? oldProgram, ProgramListing? newProgram, IReadOnlyList<string> oldText, IReadOnlyList<string> newText, FunctionNames.Index functions, bool color)
    {
        if (hunk.Lines is not HunkLineList runs)
        {
            UnifiedDiff.AppendHunk(output, hunk, oldText, newText, functions, color);
            return;
        }

        UnifiedDiff.AppendHunkHeader(output, hunk, functions, color);
        foreach (var part in runs.Parts)
        {
            // Context lines print from A, as AppendHunk prints them.
            var lines = part.Kind == EditKind.Insert ? newProgram!.Lines : oldProgram!.Lines;
            int from = part.Kind == EditKind.Insert ? part.NewIndex : part.OldIndex;
            char prefix = part.Kind switch
            {
                EditKind.Delete => '-',
                EditKind.Insert => '+',
                _ => ' ',
            };
            string? paint = UnifiedDiff.Paint(part.Kind, color);
            for (int done = 0; done < part.Count;)
            {
                if (lines is SegmentedLines segmented)
                {
                    var (run, offset, available) = segmented.Locate(from + done);
                    int n = Math.Min(available, part.Count - done);
                    for (int k = 0; k < n; k++)
                    {
                        UnifiedDiff.AppendLine(output, prefix, run[offset + k].Text, paint);
                    }

                    done += n;
                }
                else
                {
                    UnifiedDiff.AppendLine(output, prefix, lines[from + done].Text, paint);
                    done++;
                }
            }
        }
    }

    /// <summary>The note that stands for hunks left out: <c># sub: 14 hunk(s) as shown for program sec/prog</c>.</summary>
    internal static string Note(RepeatedHunks.Repeat r) =>
        "# " + r.Function + ": " + r.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " hunk(s) as shown for program " + r.ListedFor;

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
