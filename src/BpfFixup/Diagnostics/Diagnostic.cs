// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Text;

namespace BpfFixup.Diagnostics;

/// <summary>
/// One finding about an input: a stable id, a severity, the kernel's (or our) wording, and where it is.
/// Problems with input are collected as diagnostics, never thrown (LibObjectFile's DiagnosticBag idea).
/// </summary>
public sealed record Diagnostic
{
    /// <summary>Stable id, e.g. <c>BPF1001</c>; see <see cref="DiagnosticIds"/>.</summary>
    public required string Id { get; init; }

    /// <summary>How serious it is.</summary>
    public required Severity Severity { get; init; }

    /// <summary>The message; for verifier findings, the kernel's own wording.</summary>
    public required string Message { get; init; }

    /// <summary>The input file's name as given (never made absolute).</summary>
    public string? File { get; init; }

    /// <summary>The ELF section, where one applies.</summary>
    public string? Section { get; init; }

    /// <summary>The function (FUNC symbol), where one applies.</summary>
    public string? Function { get; init; }

    /// <summary>The program being verified when the finding was made, where it differs from <see cref="Function"/>.</summary>
    public string? Program { get; init; }

    // Not Nullable<T> fields: 12 bytes less per diagnostic, a rejected object's 124k site errors were ~104 bytes each (issue 8's memory bound).
    private int index = int.MinValue;
    private long fileOffset = long.MinValue;

    /// <summary>Instruction slot index within the section, where one applies.</summary>
    public int? Index
    {
        get => index == int.MinValue ? null : index;
        init => index = value ?? int.MinValue;
    }

    /// <summary>Byte offset within the file (for format errors), where one applies.</summary>
    public long? FileOffset
    {
        get => fileOffset == long.MinValue ? null : fileOffset;
        init => fileOffset = value ?? long.MinValue;
    }

    /// <summary>The source line from BTF line_info, where one is known.</summary>
    public SourceLocation? Source { get; init; }

    /// <summary>The severity's word, as gcc and clang print it: <c>error</c>, <c>warning</c> or <c>note</c>.</summary>
    public string SeverityWord => SeverityNames.Of(Severity);

    /// <summary>
    /// Where in the object: <c>file:section/function+index</c> (as much of it as is known; null when nothing is), the
    /// program after a comma where it differs from the function.
    /// </summary>
    public string? ObjectPosition
    {
        get
        {
            var sb = new StringBuilder();
            return AppendPosition(sb) ? sb.ToString() : null;
        }
    }

    /// <summary>
    /// One line in the form gcc and clang use, so that editors and CI problem matchers read it. With BTF line info:
    /// <c>src/x.bpf.c:42:9: error: message [BPF3011] (obj.o:section/function+index)</c>, the source file as BTF
    /// gives it and the object position after the id. Without: <c>obj.o:section/function+index: error: message
    /// [BPF3011]</c>. The program, where it differs from the function, follows as <c>program P</c> in the
    /// parentheses. Escaped (<see cref="Printable"/>): one line whatever the names from the ELF file hold.
    /// </summary>
    public override string ToString() => AppendTo(new StringBuilder()).ToString();

    /// <summary>Appends the line of <see cref="ToString"/> to <paramref name="sb"/> (escaped, without a line end): no string of its own.</summary>
    public StringBuilder AppendTo(StringBuilder sb)
    {
        ArgumentNullException.ThrowIfNull(sb);
        int start = sb.Length;
        bool program = Program is not null && Program != Function;
        bool sourced = Source is { Line: > 0 };
        if (Source is { Line: > 0 } source)
        {
            sb.Append(source.File).Append(':').Append(source.Line).Append(':');
            if (source.Column > 0)
            {
                sb.Append(source.Column).Append(':');
            }
        }
        else
        {
            if (!AppendPosition(sb))
            {
                sb.Append("bpffixup");
            }

            sb.Append(':');
        }

        sb.Append(' ').Append(SeverityWord).Append(": ").Append(Message).Append(" [").Append(Id).Append(']');
        int open = sb.Length;
        sb.Append(" (");
        bool position = sourced && AppendPosition(sb);
        if (program)
        {
            sb.Append(position ? ", " : string.Empty).Append("program ").Append(Program);
        }

        if (position || program)
        {
            sb.Append(')');
        }
        else
        {
            sb.Length = open;
        }

        return Printable.EscapeTail(sb, start);
    }

    /// <summary>Appends <see cref="ObjectPosition"/>; false (nothing appended) when nothing is known.</summary>
    private bool AppendPosition(StringBuilder sb)
    {
        int start = sb.Length;
        if (File is not null)
        {
            sb.Append(File);
        }

        if (Section is not null)
        {
            sb.Append(sb.Length > start ? ":" : string.Empty).Append(Section);
            if (Function is not null)
            {
                sb.Append('/').Append(Function);
            }

            if (Index is int i)
            {
                sb.Append('+').Append(i);
            }
        }

        return sb.Length > start;
    }
}
