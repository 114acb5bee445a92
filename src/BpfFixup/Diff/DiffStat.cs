// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text;
using BpfFixup.Text;

namespace BpfFixup.Diff;

/// <summary>
/// git's <c>diff --stat</c> for program listings (git diff.c, <c>show_stats</c> and <c>print_stat_summary</c>): one
/// line per changed, added or removed program, <c> name | N ++--</c>, then
/// <c> P programs changed, I insertions(+), D deletions(-)</c>. The widths follow git for an 80-column output: the
/// name column is as wide as the longest name, the count as wide as the largest count, the graph as long as the
/// largest change; when that does not fit, the graph gets at most 3/8 of the width (at least 6) and the name the rest,
/// a longer name is cut to <c>...</c> and its tail from a <c>/</c>, and graph lengths are scaled linearly (a non-zero
/// count keeps at least one mark). Nothing is printed when nothing changed.
/// </summary>
public static class DiffStat
{
    /// <summary>git's width when standard output is not a terminal (<c>term_columns</c>' default).</summary>
    public const int DefaultWidth = 80;

    /// <summary>Insertions and deletions of one program, counted over its hunks (which hold every change).</summary>
    public static (int Insertions, int Deletions) Count(ProgramDiff program)
    {
        ArgumentNullException.ThrowIfNull(program);
        int ins = 0, del = 0;
        foreach (var h in program.Hunks)
        {
            foreach (var line in h.Lines)
            {
                ins += line.Kind == EditKind.Insert ? 1 : 0;
                del += line.Kind == EditKind.Delete ? 1 : 0;
            }
        }

        return (ins, del);
    }

    /// <summary>Renders the stat of <paramref name="result"/>.</summary>
    /// <param name="result">A comparison with hunks.</param>
    /// <param name="color">Colour the graph as git does (<c>+</c> green, <c>-</c> red).</param>
    /// <param name="width">The total width (git: the terminal's columns, 80 otherwise).</param>
    public static string Render(ListingDiffResult result, bool color = false, int width = DefaultWidth)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = new List<(string Name, int Ins, int Del)>();
        foreach (var p in result.Programs)
        {
            if (p.Status != ProgramDiffStatus.Identical)
            {
                var (ins, del) = Count(p);
                rows.Add((Printable.Escape(p.Key), ins, del));
            }
        }

        if (rows.Count == 0)
        {
            return string.Empty;
        }

        int maxLen = rows.Max(r => r.Name.Length);
        int maxChange = rows.Max(r => r.Ins + r.Del);
        int numberWidth = maxChange.ToString(CultureInfo.InvariantCulture).Length;
        int graphWidth = maxChange;
        int nameWidth = maxLen;

        // git: name + " | " + number + " " + graph, with 6 columns for the constant parts.
        if (nameWidth + numberWidth + 6 + graphWidth > width)
        {
            if (graphWidth > (width * 3 / 8) - numberWidth - 6)
            {
                graphWidth = Math.Max((width * 3 / 8) - numberWidth - 6, 6);
            }

            if (nameWidth > width - numberWidth - 6 - graphWidth)
            {
                nameWidth = width - numberWidth - 6 - graphWidth;
            }
            else
            {
                graphWidth = width - numberWidth - 6 - nameWidth;
            }
        }

        var sb = new StringBuilder();
        int totalIns = 0, totalDel = 0;
        foreach (var (name, ins, del) in rows)
        {
            totalIns += ins;
            totalDel += del;
            int add = ins, sub = del;
            if (graphWidth < maxChange)
            {
                add = ScaleLinear(ins, graphWidth, maxChange);
                sub = ScaleLinear(del, graphWidth, maxChange);
            }

            string prefix = string.Empty;
            string shown = name;
            int len = nameWidth;
            if (nameWidth < shown.Length)
            {
                prefix = "...";
                len = Math.Max(nameWidth - 3, 0);
                shown = shown[^len..];
                int slash = shown.IndexOf('/', StringComparison.Ordinal);
                if (slash >= 0)
                {
                    shown = shown[slash..];
                }
            }

            int total = ins + del;
            sb.Append(' ').Append(prefix).Append(shown).Append(' ', Math.Max(len - shown.Length, 0)).Append(" | ")
                .Append(total.ToString(CultureInfo.InvariantCulture).PadLeft(numberWidth));
            if (total != 0)
            {
                sb.Append(' ');
            }

            Graph(sb, '+', add, color ? DiffColors.New : null);
            Graph(sb, '-', sub, color ? DiffColors.Old : null);
            sb.Append('\n');
        }

        return sb.Append(Summary(rows.Count, totalIns, totalDel)).Append('\n').ToString();
    }

    /// <summary>git's <c>print_stat_summary</c>, with programs for files: insertions shown unless only deletions, and the reverse.</summary>
    public static string Summary(int programs, int insertions, int deletions)
    {
        var sb = new StringBuilder();
        sb.Append(' ').Append(programs.ToString(CultureInfo.InvariantCulture)).Append(programs == 1 ? " program changed" : " programs changed");
        if (insertions != 0 || deletions == 0)
        {
            sb.Append(", ").Append(insertions.ToString(CultureInfo.InvariantCulture)).Append(insertions == 1 ? " insertion(+)" : " insertions(+)");
        }

        if (deletions != 0 || insertions == 0)
        {
            sb.Append(", ").Append(deletions.ToString(CultureInfo.InvariantCulture)).Append(deletions == 1 ? " deletion(-)" : " deletions(-)");
        }

        return sb.ToString();
    }

    /// <summary>git's <c>scale_linear</c>: 0 stays 0, anything else is at least 1.</summary>
    private static int ScaleLinear(int it, int width, int maxChange) =>
        it == 0 ? 0 : 1 + (int)((long)it * (width - 1) / maxChange);

    private static void Graph(StringBuilder sb, char mark, int count, string? paint)
    {
        if (count <= 0)
        {
            return;
        }

        if (paint is not null)
        {
            sb.Append(paint);
        }

        sb.Append(mark, count);
        if (paint is not null)
        {
            sb.Append(DiffColors.Reset);
        }
    }
}
