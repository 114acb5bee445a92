// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text;

using BpfFixup.Text;

namespace BpfFixup.Diff;

/// <summary>
/// veristat-style comparison table (veristat <c>-C</c> table output): columns
/// <c>File  Program  Insns (A)  Insns (B)  Insns (DIFF)  Verdict</c>, two spaces between columns,
/// a dashed underline per column under the header, strings left-aligned, numbers right-aligned.
/// The DIFF is <c>%+d (%+.2f%%)</c>; a program on one side only shows <c>N/A</c> for the missing count,
/// the DIFF and the verdict. Verdict is MATCH when the instruction streams compare equal, else MISMATCH.
/// Trailing spaces are trimmed from every line; lines end in LF.
/// </summary>
public static class StatTable
{
    /// <summary>The header cells.</summary>
    public static readonly IReadOnlyList<string> Headers = ["File", "Program", "Insns (A)", "Insns (B)", "Insns (DIFF)", "Verdict"];

    private static readonly bool[] RightAligned = [false, false, true, true, true, false];

    private const string NotAvailable = "N/A";

    /// <summary>
    /// The File column: the file name when A and B share it (veristat's usual case), else <c>a.o -> b.o</c>.
    /// </summary>
    public static string FileLabel(string oldFile, string newFile)
        => string.Equals(oldFile, newFile, StringComparison.Ordinal) ? oldFile : oldFile + " -> " + newFile;

    /// <summary>The table rows (without header) as cells.</summary>
    /// <param name="result">A listing comparison.</param>
    /// <returns>One row per program, in <see cref="ListingDiffResult.Programs"/> order.</returns>
    public static IReadOnlyList<string[]> Rows(ListingDiffResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var file = FileLabel(result.OldFile, result.NewFile);
        var rows = new List<string[]>(result.Programs.Count);
        foreach (var p in result.Programs)
        {
            var a = p.Old?.InstructionCount;
            var b = p.New?.InstructionCount;
            rows.Add(
            [
                file,
                p.Key,
                a?.ToString(CultureInfo.InvariantCulture) ?? NotAvailable,
                b?.ToString(CultureInfo.InvariantCulture) ?? NotAvailable,
                a is { } av && b is { } bv ? VeristatFormat.Diff(av, bv) : NotAvailable,
                p.Status switch
                {
                    ProgramDiffStatus.Identical => "MATCH",
                    ProgramDiffStatus.Changed => "MISMATCH",
                    _ => NotAvailable,
                },
            ]);
        }

        return rows;
    }

    /// <summary>Renders the table.</summary>
    /// <param name="result">A listing comparison.</param>
    /// <returns>Header, underline and one line per program, each ending in LF.</returns>
    public static string Render(ListingDiffResult result)
    {
        var rows = Rows(result);
        var widths = new int[Headers.Count];
        for (var c = 0; c < widths.Length; c++)
        {
            widths[c] = Headers[c].Length;
            foreach (var row in rows)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        var sb = new StringBuilder();
        AppendRow(sb, [.. Headers], widths, header: true);
        var rule = new string[widths.Length];
        for (var c = 0; c < widths.Length; c++)
        {
            rule[c] = new string('-', widths[c]);
        }

        AppendRow(sb, rule, widths, header: true);
        foreach (var row in rows)
        {
            AppendRow(sb, row, widths, header: false);
        }

        return sb.ToString();
    }

    private static void AppendRow(StringBuilder sb, string[] cells, int[] widths, bool header)
    {
        var line = new StringBuilder();
        for (var c = 0; c < cells.Length; c++)
        {
            if (c > 0)
            {
                line.Append("  ");
            }

            // veristat left-aligns the header cells and right-aligns numeric values.
            line.Append(!header && RightAligned[c] ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c]));
        }

        Printable.Append(sb, line.ToString().TrimEnd(' ')).Append('\n');
    }
}
