// SPDX-License-Identifier: MIT
using System.Security.Cryptography;
using System.Text;

namespace BpfFixup.Snapshots;

/// <summary>
/// Snapshot file names: <c>&lt;object stem&gt;.&lt;program&gt;.verified.txt</c> (received: <c>.received.txt</c>).
/// <para>
/// Both parts come from ELF files and may hold anything, so each is sanitised to a portable name
/// component: characters outside <c>[A-Za-z0-9._-]</c> become <c>_</c> (a run of them one <c>_</c>), leading
/// dots become <c>_</c> too (<c>../x</c> → <c>_x</c>), the empty name becomes <c>_</c>, and Windows device names (CON, NUL, COM1…)
/// get a <c>_</c> prefix. The program part keeps no dots at all, so a file name splits unambiguously at
/// its last dot into stem and program (see <see cref="TryParseVerified"/>); stems keep dots (<c>x.bpf.o</c>
/// has stem <c>x.bpf</c>). When sanitising changed a part, or it is longer than
/// <see cref="MaxComponentLength"/>, the part is cut and gets <c>-</c> plus 8 hex digits of the SHA-256
/// of the original name, so different names do not silently meet. The result never contains a path
/// separator, is never <c>.</c>/<c>..</c>, never absolute, and fits in 255 bytes.
/// </para>
/// </summary>
public static class SnapshotNaming
{
    /// <summary>Suffix of accepted snapshots.</summary>
    public const string VerifiedSuffix = ".verified.txt";

    /// <summary>Suffix of snapshots written for review after a mismatch.</summary>
    public const string ReceivedSuffix = ".received.txt";

    /// <summary>Longest sanitised part, hash suffix included (two parts plus suffixes stay under 255).</summary>
    public const int MaxComponentLength = 120;

    private const int HashLength = 8;

    private static readonly string[] DeviceNames =
    [
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];

    /// <summary>The verified file name for program <paramref name="programName"/> of object <paramref name="objectFile"/>.</summary>
    /// <param name="objectFile">The object's file name or path; only its last segment, minus extension, is used.</param>
    /// <param name="programName">The program name.</param>
    /// <returns>A safe file name ending in <see cref="VerifiedSuffix"/>.</returns>
    public static string VerifiedFileName(string objectFile, string programName)
        => ObjectStem(objectFile) + "." + SanitizeProgram(programName) + VerifiedSuffix;

    /// <summary>The received file name that goes beside verified file <paramref name="verifiedFileName"/>.</summary>
    public static string ReceivedFileName(string verifiedFileName)
    {
        ArgumentNullException.ThrowIfNull(verifiedFileName);
        return verifiedFileName.EndsWith(VerifiedSuffix, StringComparison.Ordinal)
            ? verifiedFileName[..^VerifiedSuffix.Length] + ReceivedSuffix
            : verifiedFileName + ReceivedSuffix;
    }

    /// <summary>
    /// The sanitised stem of an object file: the last path segment (after <c>/</c> or <c>\</c>) without
    /// its last extension, e.g. <c>obj/x.bpf.o</c> → <c>x.bpf</c>.
    /// </summary>
    public static string ObjectStem(string objectFile)
    {
        ArgumentNullException.ThrowIfNull(objectFile);
        var name = objectFile[(objectFile.LastIndexOfAny(['/', '\\']) + 1)..];
        var dot = name.LastIndexOf('.');
        return SanitizeStem(dot > 0 ? name[..dot] : name);
    }

    /// <summary>Sanitises a stem-like part (dots kept).</summary>
    public static string SanitizeStem(string name) => Sanitize(name, keepDots: true);

    /// <summary>Sanitises a program-like part (dots replaced, so the file name parses back).</summary>
    public static string SanitizeProgram(string name) => Sanitize(name, keepDots: false);

    /// <summary>
    /// Splits <c>stem.program.verified.txt</c> at the last dot before the suffix. The program part of
    /// names made by <see cref="VerifiedFileName"/> has no dot, so this returns their stem exactly.
    /// </summary>
    public static bool TryParseVerified(string fileName, out string stem, out string program)
    {
        stem = program = string.Empty;
        if (fileName is null || !fileName.EndsWith(VerifiedSuffix, StringComparison.Ordinal))
        {
            return false;
        }

        var core = fileName[..^VerifiedSuffix.Length];
        var dot = core.LastIndexOf('.');
        if (dot <= 0 || dot == core.Length - 1)
        {
            return false;
        }

        stem = core[..dot];
        program = core[(dot + 1)..];
        return true;
    }

    /// <summary>
    /// Whether <paramref name="fileName"/> is one plain component: non-empty, at most 255 UTF-8 bytes,
    /// no separator, NUL or control character, not <c>.</c>/<c>..</c>, not rooted.
    /// </summary>
    public static bool IsSafeFileName(string fileName)
    {
        if (string.IsNullOrEmpty(fileName) || fileName is "." or ".." || Encoding.UTF8.GetByteCount(fileName) > 255)
        {
            return false;
        }

        foreach (var c in fileName)
        {
            if (c is '/' or '\\' or ':' || char.IsControl(c))
            {
                return false;
            }
        }

        return !Path.IsPathRooted(fileName);
    }

    /// <summary>
    /// File names that several entries map to, compared case-insensitively (they would overwrite each
    /// other on Windows and macOS). Each collision lists the keys involved, in input order.
    /// </summary>
    /// <param name="entries">(key, file name) pairs.</param>
    /// <returns>The collisions, ordered by file name (ordinal).</returns>
    public static IReadOnlyList<SnapshotCollision> FindCollisions(IEnumerable<(string Key, string FileName)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var groups = new Dictionary<string, List<(string Key, string FileName)>>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            if (!groups.TryGetValue(entry.FileName, out var list))
            {
                groups.Add(entry.FileName, list = []);
            }

            list.Add(entry);
        }

        var collisions = new List<SnapshotCollision>();
        foreach (var list in groups.Values)
        {
            if (list.Count > 1)
            {
                collisions.Add(new SnapshotCollision(list[0].FileName, [.. list.Select(e => e.Key)]));
            }
        }

        collisions.Sort((x, y) => string.CompareOrdinal(x.FileName, y.FileName));
        return collisions;
    }

    private static string Sanitize(string name, bool keepDots)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder(Math.Min(name.Length, MaxComponentLength + 1));
        var changed = false;
        var lastReplaced = false;
        foreach (var c in name)
        {
            // A dot is kept except at the start, where it could make "." / ".." or a hidden file;
            // leading dots (even after replaced characters, as in "../x") fold into the replacement.
            var leading = sb.Length == 0 || (sb.Length == 1 && lastReplaced);
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '-' || (c == '.' && keepDots && !leading))
            {
                sb.Append(c);
                lastReplaced = false;
                continue;
            }

            changed = true;
            if (!lastReplaced)
            {
                sb.Append('_');
                lastReplaced = true;
            }
        }

        if (sb.Length == 0)
        {
            sb.Append('_');
            changed = true;
        }

        var firstSegment = sb.ToString().Split('.')[0];
        if (Array.Exists(DeviceNames, d => string.Equals(d, firstSegment, StringComparison.OrdinalIgnoreCase)))
        {
            sb.Insert(0, '_');
            changed = true;
        }

        if (!changed && sb.Length <= MaxComponentLength)
        {
            return sb.ToString();
        }

        var keep = Math.Min(sb.Length, MaxComponentLength - HashLength - 1);
        return sb.ToString(0, keep) + "-" + Hash(name);
    }

    /// <summary>First 8 hex digits of SHA-256 over the UTF-16LE code units (injective on strings, even with lone surrogates).</summary>
    private static string Hash(string name)
    {
        var bytes = new byte[name.Length * 2];
        for (var i = 0; i < name.Length; i++)
        {
            bytes[2 * i] = (byte)name[i];
            bytes[(2 * i) + 1] = (byte)(name[i] >> 8);
        }

        var digest = SHA256.HashData(bytes);
        return Convert.ToHexStringLower(digest)[..HashLength];
    }
}
