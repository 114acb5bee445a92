// SPDX-License-Identifier: MIT
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using BpfFixup.Diagnostics;

namespace BpfFixup.Rendering.Sarif;

/// <summary>
/// SARIF partialFingerprints (§3.27.17) that survive unrelated edits: the rule, the section and function, and the
/// message with its instruction numbers taken out — never a line, column or instruction index, which shift when
/// code above moves. Findings that would share a fingerprint are told apart by their order (<c>hash:1</c>,
/// <c>hash:2</c>), as GitHub's own primaryLocationLineHash does.
/// </summary>
public sealed partial class ResultFingerprints
{
    /// <summary>The partialFingerprints key (a versioned name: a change of the recipe gets a new key).</summary>
    public const string Key = "bpffixupFingerprint/v1";

    private readonly Dictionary<UInt128, int> seen = [];

    /// <summary>The fingerprint of the next finding of <paramref name="d"/>'s kind.</summary>
    /// <param name="d">The diagnostic.</param>
    /// <returns>32 hex digits of SHA-256 of the stable parts, a colon and the occurrence number.</returns>
    public string Next(Diagnostic d)
    {
        ArgumentNullException.ThrowIfNull(d);
        string stable = $"{d.Id}\n{d.Section}/{d.Function}\n{d.Program}\n{Normalize(d.Message)}";
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(stable), digest);
        var key = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(digest);
        int n = seen[key] = seen.TryGetValue(key, out int before) ? before + 1 : 1;
        return Convert.ToHexStringLower(digest[..16]) + ":" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The message without instruction numbers (<c>insn 12</c>, <c>insns[12]</c>, <c>func#3</c>) and with runs of white space as one space.</summary>
    public static string Normalize(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Spaces().Replace(InstructionNumbers().Replace(message, "N"), " ").Trim();
    }

    [GeneratedRegex(@"(?<=\binsns?\s?\[?|\bfunc#|\binsn \d+ to\s+)\d+", RegexOptions.CultureInvariant)]
    private static partial Regex InstructionNumbers();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();
}
