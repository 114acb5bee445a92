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

    /// <summary>Instruction slot index within the section, where one applies.</summary>
    public int? Index { get; init; }

    /// <summary>Byte offset within the file (for format errors), where one applies.</summary>
    public long? FileOffset { get; init; }

    /// <summary>The source line from BTF line_info, where one is known.</summary>
    public SourceLocation? Source { get; init; }

    /// <summary>One line: <c>file: severity id: section/function+index: message (source)</c>, escaped (<see cref="Printable"/>).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (File is not null)
        {
            sb.Append(File).Append(": ");
        }

        sb.Append(Severity switch { Severity.Error => "error", Severity.Warning => "warning", _ => "note" })
          .Append(' ').Append(Id).Append(": ");
        if (Section is not null)
        {
            sb.Append(Section);
            if (Function is not null)
            {
                sb.Append('/').Append(Function);
            }

            if (Index is int i)
            {
                sb.Append('+').Append(i);
            }

            sb.Append(": ");
        }

        sb.Append(Message);
        if (Program is not null && Program != Function)
        {
            sb.Append(" [program ").Append(Program).Append(']');
        }

        if (Source is not null)
        {
            sb.Append(" (").Append(Source).Append(')');
        }

        // One line whatever the names from the ELF file hold.
        return Printable.Escape(sb.ToString());
    }
}
