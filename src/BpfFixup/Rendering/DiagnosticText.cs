// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text;
using BpfFixup.Diagnostics;
using BpfFixup.Text;

namespace BpfFixup.Rendering;

/// <summary>
/// A diagnostic as people and editors read it, in the shape of gcc's and clang's: the line of
/// <see cref="Diagnostic.ToString"/> (<c>src/x.bpf.c:42:9: error: message [BPF3011] (obj.o:section/function+index)</c>),
/// then, where BTF line info has the source line, that line and a caret under the column (gcc's
/// <c>   42 | text</c> / <c>      |     ^</c>), then for errors and warnings a one-line <c>hint:</c> on the fix
/// (<see cref="DiagnosticHints"/>).
/// </summary>
public static class DiagnosticText
{
    /// <summary>Appends the lines of <paramref name="d"/>, each LF-terminated and escaped, to <paramref name="sb"/>.</summary>
    public static StringBuilder Append(StringBuilder sb, Diagnostic d)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(d);
        d.AppendTo(sb).Append('\n');
        if (d.Source is { Line: > 0, Text: { Length: > 0 } text } source)
        {
            string number = source.Line.ToString(CultureInfo.InvariantCulture).PadLeft(4);
            string gutter = new(' ', number.Length);
            sb.Append(' ').Append(number).Append(" | ");
            Printable.Append(sb, text).Append('\n');
            if (source.Column > 0)
            {
                // Under the column as the line is printed: the escaped text before it, tabs kept as tabs so that the
                // caret lines up whatever the reader's tab width (BTF's column counts a tab as one).
                string before = Printable.Escape(text[..Math.Min(source.Column - 1, text.Length)]);
                sb.Append(' ').Append(gutter).Append(" | ");
                foreach (char c in before)
                {
                    sb.Append(c == '\t' ? '\t' : ' ');
                }

                sb.Append("^\n");
            }
        }

        if (d.Severity != Severity.Note && DiagnosticHints.For(d.Id) is { } hint)
        {
            sb.Append("hint: ").Append(hint).Append('\n');
        }

        return sb;
    }
}
