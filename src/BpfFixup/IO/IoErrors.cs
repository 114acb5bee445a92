// SPDX-License-Identifier: MIT
using System.Globalization;

namespace BpfFixup.IO;

/// <summary>
/// Describes file-system failures without the absolute paths .NET puts in exception messages, so diagnostics
/// name files only as the user gave them.
/// </summary>
public static class IoErrors
{
    /// <summary>A short, path-free description of <paramref name="e"/> for <paramref name="path"/>.</summary>
    public static string Describe(Exception e, string path) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
        UnauthorizedAccessException when Directory.Exists(path) => "is a directory",
        UnauthorizedAccessException => "permission denied",
        PathTooLongException => "path too long",
        ArgumentException or NotSupportedException => "invalid path",
        IOException when Directory.Exists(path) => "is a directory",
        IOException io => string.Create(CultureInfo.InvariantCulture, $"I/O error (0x{io.HResult:x8})"),
        _ => e.GetType().Name,
    };

    /// <summary>True for the exceptions file APIs raise for an unreadable or unwritable path.</summary>
    public static bool IsFileSystemError(Exception e) =>
        e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException or System.Security.SecurityException;
}
