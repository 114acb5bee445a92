// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text;
using BpfFixup.Diagnostics;
using BpfFixup.Text;

namespace BpfFixup.IO;

/// <summary>
/// Writes a file all at once or not at all: the bytes go to a temporary file in the destination directory, are
/// flushed to disk, and the temporary file is moved over the destination. On any failure the temporary file is
/// deleted and one error diagnostic names the destination as given (never made absolute); a partial output file
/// never exists under the destination name. Commands check their outputs first with <see cref="OutputPlan"/>.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="data"/> to <paramref name="path"/>; false (with one error) on failure.</summary>
    public static bool TryWriteAllBytes(string path, ReadOnlySpan<byte> data, DiagnosticBag diagnostics) =>
        TryWriteAllBytes(path, data.ToArray(), diagnostics);

    /// <summary>
    /// Writes <paramref name="data"/> to <paramref name="path"/>; false (with one error) on failure. The array is written
    /// as it is, not copied first (a patched object's copy was a second output-sized array, and on a 2,001-section
    /// object the collection it set off cost an eighth of <c>patch</c>).
    /// </summary>
    public static bool TryWriteAllBytes(string path, byte[] data, DiagnosticBag diagnostics) =>
        TryWrite(path, s => s.Write(data), diagnostics);

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a BOM; false (with one error) on failure.</summary>
    public static bool TryWriteAllText(string path, string text, DiagnosticBag diagnostics) =>
        TryWriteAllBytes(path, StrictUtf8.Encoding.GetBytes(text), diagnostics);

    /// <summary>
    /// Runs <paramref name="write"/> against a stream on the temporary file, then moves it into place.
    /// Exceptions of <paramref name="write"/> that are file-system errors become the diagnostic; others propagate
    /// after the temporary file is removed.
    /// </summary>
    public static bool TryWrite(string path, Action<Stream> write, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (TryWrite(path, write) is { } error)
        {
            diagnostics.Add(new Diagnostic
            {
                Id = DiagnosticIds.IoError,
                Severity = Severity.Error,
                Message = "cannot write: " + error,
                File = path,
            });
            return false;
        }

        return true;
    }

    /// <summary>
    /// Writes through <paramref name="path"/>: a symlink is followed and its final target replaced (the link stays),
    /// keeping the target's permission bits. Never renames over anything but a regular file.
    /// </summary>
    /// <returns>Null on success, else what went wrong (no path in it).</returns>
    public static string? TryWrite(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string? temp = null;
        try
        {
            string full = Path.GetFullPath(OutputPlan.FinalTarget(path));
            string dir = Path.GetDirectoryName(full) ?? ".";
            string name = Path.GetFileName(full);
            if (NotRegular(full) is { } kind)
            {
                return "not a regular file (" + OutputPlan.Describe(kind) + ")";
            }

            temp = Path.Combine(dir, TempName(name));
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            // A file replaced in place (patch --in-place) keeps its permission bits.
            if (!OperatingSystem.IsWindows() && File.Exists(full))
            {
                File.SetUnixFileMode(temp, File.GetUnixFileMode(full));
            }

            // Checked again just before the rename: nothing is ever renamed over a device, FIFO or directory.
            if (NotRegular(full) is { } now)
            {
                return "not a regular file (" + OutputPlan.Describe(now) + ")";
            }

            File.Move(temp, full, overwrite: true);
            temp = null;
            return null;
        }
        catch (Exception e) when (IoErrors.IsFileSystemError(e))
        {
            return IoErrors.Describe(e, path);
        }
        finally
        {
            if (temp is not null)
            {
                TryDelete(temp);
            }
        }
    }

    /// <summary>
    /// A hidden temporary name beside <paramref name="name"/>, within NAME_MAX (255 bytes) however long the name is:
    /// a prefix of at most 64 characters (never half a surrogate pair), then 12 random hex digits.
    /// </summary>
    internal static string TempName(string name)
    {
        int keep = Math.Min(name.Length, 64);
        if (keep > 0 && keep < name.Length && char.IsHighSurrogate(name[keep - 1]))
        {
            keep--;
        }

        return string.Create(CultureInfo.InvariantCulture, $".{name[..keep]}.{Guid.NewGuid().ToString("N")[..12]}.tmp");
    }

    private static FileKind? NotRegular(string path)
    {
        var kind = FileStatus.Of(path, followLinks: false).Kind;
        return kind is FileKind.Regular or FileKind.Missing ? null : kind;
    }

    private static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (Exception e) when (IoErrors.IsFileSystemError(e))
        {
            // Nothing more can be done; the destination is untouched either way.
        }
    }
}
