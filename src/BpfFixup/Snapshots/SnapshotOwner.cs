// SPDX-License-Identifier: MIT
namespace BpfFixup.Snapshots;

/// <summary>
/// Which object a snapshot file belongs to. Two objects may share a stem (<c>d1/x.o</c> and <c>d2/x.o</c>), so the
/// file name alone cannot tell; the header's first line, <c>object: &lt;path&gt;</c>, records the object's path
/// relative to the snapshot directory (<c>../d1/x.o</c>), which is the same from any working directory and on any
/// machine with the same layout. A run only deletes (as dangling) or overwrites the files its own objects own.
/// Files written before owners were recorded hold the bare file name (<c>object: x.o</c>); such a file belongs
/// to any object of that file name.
/// </summary>
public static class SnapshotOwner
{
    /// <summary>The header line's prefix.</summary>
    public const string Prefix = "object: ";

    /// <summary>The owner name of <paramref name="objectFile"/> for snapshots in <paramref name="directory"/>.</summary>
    public static string Of(string objectFile, string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectFile);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return Path.GetRelativePath(Path.GetFullPath(directory), Path.GetFullPath(objectFile)).Replace('\\', '/');
    }

    /// <summary>The owner a snapshot's text records, or null when its first line is not an <c>object:</c> line.</summary>
    public static string? Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int end = text.IndexOf('\n', StringComparison.Ordinal);
        string first = end < 0 ? text : text[..end];
        return first.StartsWith(Prefix, StringComparison.Ordinal) ? first[Prefix.Length..] : null;
    }

    /// <summary>Whether a file whose header records <paramref name="recorded"/> belongs to <paramref name="owner"/>.</summary>
    public static bool Owns(string owner, string? recorded)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (recorded is null)
        {
            return false;
        }

        return string.Equals(owner, recorded, StringComparison.Ordinal)
            || (!recorded.Contains('/', StringComparison.Ordinal) && string.Equals(Path.GetFileName(owner), recorded, StringComparison.Ordinal));
    }
}
