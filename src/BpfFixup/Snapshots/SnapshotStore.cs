// SPDX-License-Identifier: MIT
namespace BpfFixup.Snapshots;

/// <summary>
/// File access for one snapshot directory. Every operation reports failure as an error string instead
/// of throwing. Writes are atomic: the bytes go to a temporary file in the same directory, which is then
/// renamed over the target (<see cref="File.Move(string, string, bool)"/>), so a reader never sees a
/// half-written snapshot and a failed write leaves no file behind.
/// </summary>
public sealed class SnapshotStore
{
    private readonly string fullDirectory;
    private readonly string displayDirectory;

    /// <summary>Creates a store for <paramref name="directory"/> (which need not exist yet).</summary>
    /// <param name="directory">The snapshot directory.</param>
    /// <param name="displayDirectory">How to name the directory in messages (default: <paramref name="directory"/>).</param>
    public SnapshotStore(string directory, string? displayDirectory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = directory;
        fullDirectory = Path.GetFullPath(directory);
        this.displayDirectory = displayDirectory ?? directory;
    }

    /// <summary>The directory as given.</summary>
    public string Directory { get; }

    /// <summary>Creates the directory if needed.</summary>
    /// <returns>Null on success, else the error.</returns>
    public string? EnsureDirectory()
        => Try(() => System.IO.Directory.CreateDirectory(fullDirectory), "cannot create directory " + displayDirectory);

    /// <summary>Reads and normalises a snapshot; <paramref name="text"/> is null when the file does not exist.</summary>
    /// <returns>Null on success, else the error.</returns>
    public string? TryRead(string fileName, out string? text)
    {
        string? result = null;
        var error = Try(
            () =>
            {
                var path = PathOf(fileName);
                result = File.Exists(path) ? SnapshotText.Decode(File.ReadAllBytes(path)) : null;
            },
            "cannot read " + fileName);
        text = result;
        return error;
    }

    /// <summary>Writes a snapshot atomically (normalised, UTF-8 without BOM).</summary>
    /// <returns>Null on success, else the error.</returns>
    public string? TryWrite(string fileName, string text)
    {
        var path = PathOf(fileName);
        var temp = Path.Combine(fullDirectory, "." + fileName + "." + Guid.NewGuid().ToString("N")[..12] + ".tmp");
        var error = Try(
            () =>
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    stream.Write(SnapshotText.Encode(text));
                    stream.Flush(flushToDisk: true);
                }

                File.Move(temp, path, overwrite: true);
            },
            "cannot write " + fileName);
        if (error is not null)
        {
            _ = Try(() => File.Delete(temp), string.Empty);
        }

        return error;
    }

    /// <summary>Deletes a file if it exists.</summary>
    /// <returns>Null on success, else the error.</returns>
    public string? TryDelete(string fileName)
        => Try(
            () =>
            {
                var path = PathOf(fileName);
                if (File.Exists(path))
                {
                    File.Delete(path);
                }
            },
            "cannot delete " + fileName);

    /// <summary>Names of the <c>*.verified.txt</c> files in the directory, ordinal order (empty if it does not exist).</summary>
    /// <returns>Null on success, else the error.</returns>
    public string? TryListVerified(out IReadOnlyList<string> names)
    {
        var list = new List<string>();
        var error = Try(
            () =>
            {
                if (!System.IO.Directory.Exists(fullDirectory))
                {
                    return;
                }

                foreach (var path in System.IO.Directory.EnumerateFiles(fullDirectory, "*" + SnapshotNaming.VerifiedSuffix))
                {
                    var name = Path.GetFileName(path);
                    if (name.EndsWith(SnapshotNaming.VerifiedSuffix, StringComparison.Ordinal))
                    {
                        list.Add(name);
                    }
                }
            },
            "cannot list " + displayDirectory);
        list.Sort(StringComparer.Ordinal);
        names = list;
        return error;
    }

    private string PathOf(string fileName)
    {
        if (!SnapshotNaming.IsSafeFileName(fileName))
        {
            throw new ArgumentException("not a plain file name: '" + fileName + "'", nameof(fileName));
        }

        return Path.Combine(fullDirectory, fileName);
    }

    private string? Try(Action action, string what)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or System.Security.SecurityException)
        {
            var message = ex.Message.Replace(fullDirectory, displayDirectory, StringComparison.Ordinal);
            return what + ": " + message;
        }
    }
}
