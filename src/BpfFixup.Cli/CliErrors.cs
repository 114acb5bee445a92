// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Text;

namespace BpfFixup.Cli;

/// <summary>The one-line error format: <c>bpffixup: error: &lt;file&gt;: &lt;structure&gt; at 0x&lt;offset&gt;: &lt;what&gt;</c>.</summary>
internal static class CliErrors
{
    /// <summary>Writes <paramref name="d"/> as one line to <paramref name="error"/>.</summary>
    public static void Write(TextWriter error, Diagnostic d)
    {
        string where = d.File is null ? string.Empty : d.File + ": ";
        if (d.Section is not null)
        {
            where += d.Index is int i ? $"{d.Section}+{i}: " : d.Section + ": ";
        }

        Write(error, where + d.Message);
    }

    /// <summary>Writes <c>bpffixup: error: <paramref name="message"/></c> as one line (control characters and newlines escaped).</summary>
    public static void Write(TextWriter error, string message) =>
        error.Write("bpffixup: error: " + Printable.Escape(message) + "\n");
}
