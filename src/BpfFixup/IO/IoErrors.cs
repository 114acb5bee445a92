// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Runtime.InteropServices;

namespace BpfFixup.IO;

/// <summary>
/// Describes file-system failures in strerror's words (<c>read-only file system</c>, <c>no space left on
/// device</c>), without the absolute paths .NET puts in exception messages, so diagnostics name files only as
/// the user gave them. On Unix, .NET raises an <see cref="IOException"/> whose HResult is the errno for the
/// failures it has no exception type for (System.Private.CoreLib Interop.GetExceptionForIoErrno).
/// </summary>
public static class IoErrors
{
    // glibc's strerror text, lower-cased as coreutils prints it after a colon; fixed here so that output is
    // the same on every C library.
    private static readonly Dictionary<int, string> Words = new()
    {
        [Errno.NotPermitted] = "operation not permitted",
        [Errno.NoEntry] = "no such file or directory",
        [Errno.IoError] = "input/output error",
        [Errno.BadDescriptor] = "bad file descriptor",
        [Errno.TryAgain] = "resource temporarily unavailable",
        [Errno.AccessDenied] = "permission denied",
        [16] = "device or resource busy",
        [Errno.Exists] = "file exists",
        [18] = "invalid cross-device link",
        [Errno.NotDirectory] = "not a directory",
        [Errno.IsDirectory] = "is a directory",
        [26] = "text file busy",
        [27] = "file too large",
        [Errno.NoSpace] = "no space left on device",
        [Errno.ReadOnlyFileSystem] = "read-only file system",
        [Errno.BrokenPipe] = "broken pipe",
        [Errno.NameTooLong] = "file name too long",
        [Errno.TooManyLinks] = "too many levels of symbolic links",
        [122] = "disk quota exceeded",
    };

    /// <summary>A short, path-free description of <paramref name="e"/> for <paramref name="path"/>.</summary>
    public static string Describe(Exception e, string path)
    {
        ArgumentNullException.ThrowIfNull(e);

        // .NET opens a directory and then refuses it with "access denied": say what it is.
        if (e is UnauthorizedAccessException && Directory.Exists(path))
        {
            return Strerror(Errno.IsDirectory);
        }

        if (ErrnoOf(e) is int errno)
        {
            return Strerror(errno);
        }

        return e switch
        {
            FileNotFoundException or DirectoryNotFoundException => Strerror(UnderAFile(path) ? Errno.NotDirectory : Errno.NoEntry),
            UnauthorizedAccessException when Directory.Exists(path) => Strerror(Errno.IsDirectory),
            UnauthorizedAccessException => Strerror(Errno.AccessDenied),
            PathTooLongException => Strerror(Errno.NameTooLong),
            ArgumentException or NotSupportedException => "invalid path",
            IOException when Directory.Exists(path) => Strerror(Errno.IsDirectory),
            IOException io => string.Create(CultureInfo.InvariantCulture, $"I/O error (0x{io.HResult:x8})"),
            _ => e.GetType().Name,
        };
    }

    /// <summary>Whether a parent of <paramref name="path"/> is a file: then the kernel said ENOTDIR, which .NET reports as "not found".</summary>
    private static bool UnderAFile(string path)
    {
        try
        {
            for (string? p = Path.GetDirectoryName(Path.GetFullPath(path)); !string.IsNullOrEmpty(p); p = Path.GetDirectoryName(p))
            {
                if (File.Exists(p))
                {
                    return true;
                }

                if (Directory.Exists(p))
                {
                    return false;
                }
            }
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            // Not a path at all: "no such file" is as good as any.
        }

        return false;
    }

    /// <summary>The errno behind <paramref name="e"/> (or the IOException it wraps), when .NET kept it.</summary>
    public static int? ErrnoOf(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            // Only plain IOExceptions carry the raw errno; derived types use Windows-style HResults.
            if (x.GetType() == typeof(IOException) && x.HResult is > 0 and < 4096)
            {
                return x.HResult;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="e"/> is a write to a pipe whose reader is gone (EPIPE).</summary>
    public static bool IsBrokenPipe(Exception e) => ErrnoOf(e) == Errno.BrokenPipe;

    /// <summary>strerror(<paramref name="errno"/>) in lower case: <c>no space left on device</c>.</summary>
    public static string Strerror(int errno)
    {
        if (Words.TryGetValue(errno, out var words))
        {
            return words;
        }

        string text = Marshal.GetPInvokeErrorMessage(errno);
        return text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;
    }

    /// <summary>An <see cref="IOException"/> for <paramref name="errno"/> whose message is its strerror words.</summary>
    public static IOException FromErrno(int errno) => new(Strerror(errno), errno);

    /// <summary>True for the exceptions file APIs raise for an unreadable or unwritable path.</summary>
    public static bool IsFileSystemError(Exception e) =>
        e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException or System.Security.SecurityException;
}
