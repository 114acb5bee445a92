// SPDX-License-Identifier: MIT
using System.Text;

namespace BpfFixup.Fuzz;

/// <summary>
/// Saved fuzzer inputs. The regression inputs are kept as text (<c>.hex</c>: hex digits, any whitespace, lines
/// starting with <c>#</c> are comments) so a review sees them; anything else is read as raw bytes.
/// </summary>
public static class FuzzInput
{
    /// <summary>The bytes of the input in <paramref name="path"/>.</summary>
    public static byte[] Read(string path) =>
        path.EndsWith(".hex", StringComparison.Ordinal) ? FromHex(File.ReadAllText(path)) : File.ReadAllBytes(path);

    /// <summary>Decodes <c>.hex</c> text.</summary>
    public static byte[] FromHex(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var digits = new StringBuilder(text.Length);
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith('#'))
            {
                digits.Append(line.Where(Uri.IsHexDigit).ToArray());
            }
        }

        return Convert.FromHexString(digits.ToString());
    }

    /// <summary>Encodes <paramref name="data"/> as <c>.hex</c> text: a comment line, then 32 bytes a line.</summary>
    public static string ToHex(ReadOnlySpan<byte> data, string comment)
    {
        ArgumentNullException.ThrowIfNull(comment);
        var sb = new StringBuilder((data.Length * 2) + (data.Length / 16) + 128);
        foreach (var line in comment.Split('\n'))
        {
            sb.Append("# ").Append(line).Append('\n');
        }

        for (int i = 0; i < data.Length; i += 32)
        {
            sb.Append(Convert.ToHexStringLower(data.Slice(i, Math.Min(32, data.Length - i)))).Append('\n');
        }

        return sb.ToString();
    }
}
