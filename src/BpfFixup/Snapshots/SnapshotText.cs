// SPDX-License-Identifier: MIT
using System.Text;

namespace BpfFixup.Snapshots;

/// <summary>
/// Text form of snapshot files (Verify's conventions): LF line endings and no newline at the end.
/// Reading tolerates a UTF-8 BOM, CRLF and CR. Writing uses UTF-8 <b>without</b> a BOM — unlike Verify,
/// which writes one — because the files are ASCII renderings consumed by diff, grep and CI logs, where a
/// BOM is noise (it shows up as a changed first line in <c>diff</c> and in <c>git diff</c>).
/// </summary>
public static class SnapshotText
{
    /// <summary>UTF-8 without BOM; invalid bytes decode to U+FFFD rather than throwing.</summary>
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>
    /// Canonical text: a leading U+FEFF removed, CRLF and CR turned into LF, and all trailing newlines
    /// removed (so normalising is idempotent across a write and a read).
    /// </summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        return text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').TrimEnd('\n');
    }

    /// <summary>Decodes file bytes (BOM tolerated) and normalises.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        return Normalize(Utf8.GetString(bytes));
    }

    /// <summary>Normalises and encodes as UTF-8 without BOM.</summary>
    public static byte[] Encode(string text) => Utf8.GetBytes(Normalize(text));
}
