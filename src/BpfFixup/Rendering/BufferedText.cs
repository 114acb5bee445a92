// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.IO;

namespace BpfFixup.Rendering;

/// <summary>
/// How a text report is written: appended into one reused <see cref="StringBuilder"/> and written out in pieces of
/// about <see cref="Threshold"/> characters, so that neither a string per line nor the whole report is ever held
/// (issue 8: a rejected 1M-slot object has 124k diagnostics). The one writer of <see cref="CheckReport"/>'s text,
/// <see cref="ListingWriter"/>'s listings and the CLI's diagnostics on stderr.
/// </summary>
public static class BufferedText
{
    /// <summary>Pending characters after which <see cref="FlushIfFull"/> writes them out (as JSON flushes, <see cref="JsonOutput.FlushThreshold"/>).</summary>
    public const int Threshold = JsonOutput.FlushThreshold;

    /// <summary>Writes <paramref name="pending"/> to <paramref name="output"/> and empties it once it holds <see cref="Threshold"/> characters.</summary>
    /// <param name="output">Where the text goes.</param>
    /// <param name="pending">The characters appended since the last write.</param>
    public static void FlushIfFull(TextWriter output, StringBuilder pending)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(pending);
        if (pending.Length >= Threshold)
        {
            Flush(output, pending);
        }
    }

    /// <summary>Writes <paramref name="pending"/> to <paramref name="output"/> and empties it.</summary>
    /// <param name="output">Where the text goes.</param>
    /// <param name="pending">The characters appended since the last write.</param>
    public static void Flush(TextWriter output, StringBuilder pending)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(pending);
        output.Write(pending);
        pending.Clear();
    }
}
