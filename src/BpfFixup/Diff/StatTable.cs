// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

using BpfFixup.Text;

namespace BpfFixup.Diff;

/// <summary>
/// veristat's comparison output (veristat <c>-C</c>; tools/testing/selftests/bpf/veristat.c, <c>output_comp_headers</c>,
/// <c>output_comp_stats</c>, <c>output_comp_header_underlines</c>) for two listings. The key columns <c>File</c> and
/// <c>Program</c>, then each stat as three columns <c>X (A)</c>, <c>X (B)</c>, <c>X (DIFF)</c>:
/// <list type="bullet">
/// <item><c>Listing</c> (where veristat has <c>Verdict</c>, a string stat compared the way veristat compares strings):
///   A and B are the first 7 hex digits of SHA-256 over the compared listing (each line's comparison key and LF) — what
///   is compared, so it is not a load verdict: BpfFixup does not run the verifier — and DIFF is <c>MATCH</c> when the
///   listings are equal line for line, <c>MISMATCH</c> when not, <c>N/A</c> for a program on one side only;</item>
/// <item><c>Insns</c>: instruction counts, DIFF <c>%+ld (%+.2lf%%)</c> (<see cref="VeristatFormat"/>), <c>N/A</c> for a
///   missing side.</item>
/// </list>
/// Table: two spaces between columns, a dashed underline under the header and after the last row, strings
/// left-aligned and numbers right-aligned, trailing spaces trimmed, LF. CSV (veristat <c>-o csv</c>): a header of
/// veristat's stat names with <c>_base</c>/<c>_comp</c>/<c>_diff</c> (<c>file_name,prog_name,listing_base,…,
/// total_insns_diff</c>), the same cells, a field quoted (RFC 4180) only when it holds a comma, quote or line break.
/// Rows are in program-key order (veristat sorts by file and program).
/// </summary>
public static class StatTable
{
    /// <summary>The table header cells.</summary>
    public static readonly IReadOnlyList<string> Headers =
        ["File", "Program", "Listing (A)", "Listing (B)", "Listing (DIFF)", "Insns (A)", "Insns (B)", "Insns (DIFF)"];

    /// <summary>The CSV header cells (veristat's <c>names[0]</c> with its comparison suffixes).</summary>
    public static readonly IReadOnlyList<string> CsvHeaders =
        ["file_name", "prog_name", "listing_base", "listing_comp", "listing_diff", "total_insns_base", "total_insns_comp", "total_insns_diff"];

    private static readonly bool[] RightAligned = [false, false, false, false, false, true, true, true];

    private const string NotAvailable = "N/A";

    /// <summary>Hex digits of a listing digest shown (git's short object name length).</summary>
    public const int DigestLength = 7;

    /// <summary>
    /// The File column: the file name when A and B share it (veristat's usual case), else <c>a.o -> b.o</c>.
    /// </summary>
    public static string FileLabel(string oldFile, string newFile)
        => string.Equals(oldFile, newFile, StringComparison.Ordinal) ? oldFile : oldFile + " -> " + newFile;

    /// <summary>The <c>Listing</c> value of one side: 7 hex digits of SHA-256 over its comparison keys, each ended by LF.</summary>
    public static string Digest(ProgramListing listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var line in listing.Lines)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(line.Compare + "\n"));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset())[..DigestLength];
    }

    /// <summary>The <c>Listing (DIFF)</c> of a program: MATCH, MISMATCH or N/A.</summary>
    public static string ListingDiff(ProgramDiffStatus status) => status switch
    {
        ProgramDiffStatus.Identical => "MATCH",
        ProgramDiffStatus.Changed => "MISMATCH",
        _ => NotAvailable,
    };

    /// <summary>The rows (without header) as cells, in <see cref="Headers"/> order.</summary>
    /// <param name="result">A listing comparison (hunks are not needed).</param>
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
                p.Old is { } oldListing ? Digest(oldListing) : NotAvailable,
                p.New is { } newListing ? Digest(newListing) : NotAvailable,
                ListingDiff(p.Status),
                a?.ToString(CultureInfo.InvariantCulture) ?? NotAvailable,
                b?.ToString(CultureInfo.InvariantCulture) ?? NotAvailable,
                a is { } av && b is { } bv ? VeristatFormat.Diff(av, bv) : NotAvailable,
            ]);
        }

        return rows;
    }

    /// <summary>Renders the table.</summary>
    /// <param name="result">A listing comparison.</param>
    /// <returns>Header, underline, one line per program and an underline, each ending in LF.</returns>
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

        if (rows.Count > 0)
        {
            AppendRow(sb, rule, widths, header: true);
        }

        return sb.ToString();
    }

    /// <summary>Renders the CSV form (veristat <c>-C -o csv</c>).</summary>
    public static string RenderCsv(ListingDiffResult result)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', CsvHeaders).Append('\n');
        foreach (var row in Rows(result))
        {
            for (var c = 0; c < row.Length; c++)
            {
                if (c > 0)
                {
                    sb.Append(',');
                }

                string cell = Printable.Escape(row[c]);
                sb.Append(cell.AsSpan().IndexOfAny(",\"\r\n") < 0 ? cell : "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"");
            }

            sb.Append('\n');
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

            // veristat left-aligns the header cells and strings, and right-aligns numeric values.
            line.Append(!header && RightAligned[c] ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c]));
        }

        Printable.Append(sb, line.ToString().TrimEnd(' ')).Append('\n');
    }
}
