// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Rendering.Json;

namespace BpfFixup.Rendering.Sarif;

/// <summary>
/// Turns the paths a log names (BTF's source file names, object file names) into SARIF artifact locations (SARIF
/// 2.1.0 §3.4): percent-encoded URI references (RFC 3986 §2.1, §3.3). With a source root, a path inside it becomes a
/// reference relative to the <see cref="SourceRootId"/> base (§3.4.4, §3.14.14); an absolute path outside it (or
/// any absolute path, without a root) becomes a <c>file://</c> URI (RFC 8089), never a relative path cut from it.
/// Without a root, relative paths stay as given (relative to wherever the compiler ran).
/// </summary>
public sealed class ArtifactUris
{
    /// <summary>The uriBaseId of the source root (the name GitHub's and CodeQL's logs use).</summary>
    public const string SourceRootId = "SRCROOT";

    private readonly string? root;

    // A log names few distinct files many times: each is mapped once.
    private readonly Dictionary<string, SarifArtifactLocation> located = new(StringComparer.Ordinal);

    /// <summary>Creates the mapper; <paramref name="sourceRoot"/> (any path, made absolute) is the root relative paths are resolved against.</summary>
    /// <param name="sourceRoot">The source root, or null.</param>
    public ArtifactUris(string? sourceRoot)
    {
        if (sourceRoot is not null)
        {
            string full = Path.GetFullPath(sourceRoot);
            root = full.Length > 1 ? full.TrimEnd('/') : full;
        }
    }

    /// <summary>The run's originalUriBaseIds (§3.14.14), or null without a source root.</summary>
    public IReadOnlyDictionary<string, SarifArtifactLocation>? BaseIds =>
        root is null ? null : new Dictionary<string, SarifArtifactLocation>(StringComparer.Ordinal)
        {
            [SourceRootId] = new(FileUri(root == "/" ? "/" : root + "/")),
        };

    /// <summary>The artifact location of <paramref name="path"/>.</summary>
    /// <param name="path">A file name as BTF or the command line gave it.</param>
    /// <returns>The location: relative with <see cref="SourceRootId"/>, relative as given, or a file URI.</returns>
    public SarifArtifactLocation Locate(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!located.TryGetValue(path, out var location))
        {
            located[path] = location = Map(path);
        }

        return location;
    }

    private SarifArtifactLocation Map(string path)
    {
        string relative = StripDotSlash(path);
        if (root is null)
        {
            return path.StartsWith('/') ? new(FileUri(Path.GetFullPath(path))) : new(Encode(relative));
        }

        string full = Path.GetFullPath(path.StartsWith('/') ? path : Path.Combine(root, relative));
        string prefix = root == "/" ? "/" : root + "/";
        return full.StartsWith(prefix, StringComparison.Ordinal) && full.Length > prefix.Length
            ? new(Encode(full[prefix.Length..]), SourceRootId)
            : new(FileUri(full));
    }

    /// <summary>A <c>file://</c> URI with an empty authority for an absolute path (RFC 8089 §2).</summary>
    public static string FileUri(string absolutePath) => "file://" + Encode(absolutePath);

    /// <summary>
    /// Percent-encodes a path for a URI reference: unreserved characters, '/' and the sub-delimiters and '@' that a
    /// path segment may hold stay (RFC 3986 §3.3 pchar); everything else, ':' included (a relative reference's first
    /// segment may not hold one), is the %XX of its UTF-8 bytes.
    /// </summary>
    public static string Encode(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var sb = new StringBuilder(path.Length + 8);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < path.Length; i++)
        {
            char c = path[i];
            if (IsKept(c))
            {
                sb.Append(c);
                continue;
            }

            int length = char.IsHighSurrogate(c) && i + 1 < path.Length && char.IsLowSurrogate(path[i + 1])
                ? Encoding.UTF8.GetBytes(path.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(path.AsSpan(i, 1), utf8);
            foreach (byte b in utf8[..length])
            {
                sb.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 15]);
            }
        }

        return sb.ToString();
    }

    private const string Hex = "0123456789ABCDEF";

    private static bool IsKept(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '/' or '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=' or '@';

    /// <summary>BTF keeps the path clang was given (<c>./src/x.bpf.c</c>); the leading "./" names nothing.</summary>
    private static string StripDotSlash(string path)
    {
        while (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..].TrimStart('/');
        }

        return path;
    }
}
