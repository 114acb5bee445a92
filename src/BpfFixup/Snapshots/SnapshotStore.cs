// SPDX-License-Identifier: MIT
using System.Globalization;
using BpfFixup.IO;

namespace BpfFixup.Snapshots;

/// <summary>
/// File access for one snapshot directory. Every operation reports failure as an error string (strerror's
/// words, no absolute or temporary path) instead of throwing. Writes go through <see cref="AtomicFile"/>: a
/// reader never sees a half-written snapshot, a failed write leaves no file behind, and nothing is renamed
/// over a device, FIFO or directory.
/// </summary>
public sealed class SnapshotStore
{
    /// <summary>
    /// The longest verified file read, 256 MiB: a snapshot lists one program, which the kernel caps at 1M instructions
    /// (include/linux/bpf.h BPF_COMPLEXITY_LIMIT_INSNS), at under 100 bytes a line; a larger file cannot be one this
    /// tool wrote, and decoding it whole would cost three times its size (1.9 GB: an OutOfMemoryException).
    /// </summary>
    public const int MaxVerifiedBytes = 1 << 28;

    private readonly string fullDirectory;
    private readonly string displayDirectory;
    private byte[] readBuffer = [];

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
    {
        var kind = FileStatus.Of(fullDirectory, followLinks: true).Kind;
        if (kind is not (FileKind.Directory or FileKind.Missing))
        {
            return displayDirectory + ": cannot create the snapshot directory: not a directory";
        }

        return Try(() => System.IO.Directory.CreateDirectory(fullDirectory), displayDirectory + ": cannot create the snapshot directory", displayDirectory);
    }

    /// <summary>How <paramref name="fileName"/> in this directory is named in messages: under the directory as given.</summary>
    public string DisplayPath(string fileName) => Path.Combine(displayDirectory, fileName);

    /// <summary>Reads and normalises a snapshot; <paramref name="text"/> is null when the file does not exist.</summary>
    /// <returns>Null on success, else the error.</returns>
    public string? TryRead(string fileName, out string? text)
    {
        var error = TryReadBytes(fileName, out var bytes);
        text = bytes is { } read ? SnapshotText.Decode(read) : null;
        return error;
    }

    /// <summary>
    /// The bytes of a verified file as they are (null when missing): <see cref="TryRead"/> before decoding. They are
    /// read into a buffer the store reuses from one file to the next (a <c>--check</c> of thousands of programs would
    /// otherwise allocate one array per file, each large one a full collection's worth): valid until the next read.
    /// </summary>
    /// <returns>Null on success, else the error.</returns>
    internal string? TryReadBytes(string fileName, out ArraySegment<byte>? bytes)
    {
        ArraySegment<byte>? result = null;
        string? tooLarge = null;
        FileKind kind = FileKind.Missing;
        var error = Try(
            () =>
            {
                var path = PathOf(fileName);
                kind = FileStatus.Of(path, followLinks: true).Kind;
                if (kind == FileKind.Regular)
                {
                    result = ReadWhole(path, out tooLarge);
                }
            },
            "cannot read",
            fileName);
        bytes = result;

        // Reading a FIFO would wait for a writer forever; a directory or device is not a snapshot.
        return error ?? tooLarge ?? (kind is FileKind.Regular or FileKind.Missing ? null : "cannot read: not a regular file (" + OutputPlan.Describe(kind) + ")");
    }

    /// <summary>
    /// The whole of file <paramref name="path"/> (to its end, whatever its size said), in <see cref="readBuffer"/>; null
    /// with <paramref name="tooLarge"/> set when its size is over <see cref="MaxVerifiedBytes"/>. One open, one size
    /// (the opened file's, not a second look at the path) and, for a file whose size says where its end is, one read:
    /// a <c>--check</c> reads thousands of small files.
    /// </summary>
    private ArraySegment<byte>? ReadWhole(string path, out string? tooLarge)
    {
        using var handle = File.OpenHandle(path);
        long size = RandomAccess.GetLength(handle);
        if (size > MaxVerifiedBytes)
        {
            tooLarge = string.Create(CultureInfo.InvariantCulture, $"cannot read: {IoErrors.Strerror(Errno.FileTooLarge)} ({size} bytes; a snapshot is read whole, at most {MaxVerifiedBytes})");
            return null;
        }

        tooLarge = null;
        if (readBuffer.Length < size + 1)
        {
            // One byte more than the size, so that reaching the end costs no second buffer.
            readBuffer = new byte[Math.Max(size + 1, Math.Min(2L * readBuffer.Length, MaxVerifiedBytes + 1L))];
        }

        int length = 0;
        while (true)
        {
            if (length == readBuffer.Length)
            {
                Array.Resize(ref readBuffer, checked(readBuffer.Length * 2));
            }

            int room = readBuffer.Length - length;
            int n = RandomAccess.Read(handle, readBuffer.AsSpan(length), length);
            length += n;

            // read(2) of a regular file returns fewer bytes than asked only at its end (POSIX), so once the size is
            // read a short read ends it without a read that returns 0; a file whose size says 0 (procfs) is read to
            // that 0 read, and so is one that grew past its size.
            if (n == 0 || (size > 0 && length >= size && n < room))
            {
                return new ArraySegment<byte>(readBuffer, 0, length);
            }
        }
    }

    /// <summary>Writes a snapshot atomically (normalised, UTF-8 without BOM).</summary>
    /// <returns>Null on success, else the error.</returns>
    public string? TryWrite(string fileName, string text)
    {
        var bytes = SnapshotText.Encode(text);
        return AtomicFile.TryWrite(PathOf(fileName), s => s.Write(bytes)) is { } error ? "cannot write: " + error : null;
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
            DisplayPath(fileName) + ": cannot delete",
            fileName);

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
            displayDirectory + ": cannot list",
            displayDirectory);
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

    private string? Try(Action action, string what, string name)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
        {
            // strerror's words; never .NET's message, which holds absolute (and temporary) paths.
            return what + ": " + IoErrors.Describe(ex, name == displayDirectory ? fullDirectory : PathOf(name));
        }
    }
}
