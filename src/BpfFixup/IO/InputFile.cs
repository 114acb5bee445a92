// SPDX-License-Identifier: MIT
using System.Globalization;
using BpfFixup.Diagnostics;

namespace BpfFixup.IO;

/// <summary>Reading one input file whole, with a failure as one diagnostic (never an exception, never an absolute path).</summary>
public static class InputFile
{
    /// <summary>errno EFBIG: strerror's "file too large".</summary>
    private const int FileTooLarge = 27;

    /// <summary>The bytes of <paramref name="path"/>, or null with one error naming <paramref name="name"/>.</summary>
    /// <remarks>
    /// Only a regular file is read (a symlink counts as its target), as readelf requires of its inputs ("is not an
    /// ordinary file"): a FIFO would wait for a writer forever and a device may never end (<c>/dev/zero</c>). A
    /// directory is left to the read, which names it. A file longer than an array can hold is refused before reading,
    /// and so is the file stdout writes to (<c>&gt;&gt; x.o</c>).
    /// </remarks>
    public static byte[]? TryRead(string path, string name, DiagnosticBag diagnostics)
    {
        string problem;
        try
        {
            var status = FileStatus.Of(path, followLinks: true);
            var kind = status.Kind;
            long length = kind == FileKind.Regular ? new FileInfo(path).Length : 0;
            if (kind is not (FileKind.Regular or FileKind.Directory or FileKind.Missing))
            {
                problem = "not a regular file (" + OutputPlan.Describe(kind) + ")";
            }
            else if (StdoutWritesTo(status))
            {
                // `patch x.o -o - >> x.o`, `dump x.o >> x.o`: the output would be appended to the input (cat's
                // "input file is output file").
                problem = "it is also the standard output, and an input is never written to";
            }
            else if (length > Array.MaxLength)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"{IoErrors.Strerror(FileTooLarge)} ({length} bytes; an input is read whole, at most {Array.MaxLength})");
            }
            else
            {
                return File.ReadAllBytes(path);
            }
        }
        catch (Exception e) when (IoErrors.IsFileSystemError(e))
        {
            // .NET's messages carry the absolute path: describe the failure without it, in the shape of every
            // bad-input line (<file>: <structure> at 0x<offset>: <what>).
            problem = IoErrors.Describe(e, path);
        }

        diagnostics.Add(new Diagnostic { Id = DiagnosticIds.IoError, Severity = Severity.Error, Message = "file at 0x0: cannot read: " + problem, File = name });
        return null;
    }

    /// <summary>Whether stdout writes to the regular file <paramref name="input"/>.</summary>
    /// <remarks>Not stderr: the error line would go there, into the input; a clean run writes nothing to it.</remarks>
    private static bool StdoutWritesTo(FileStatus input) =>
        FileStatus.OfDescriptor(1) is { Kind: FileKind.Regular } stdout && stdout.SameFileAs(input);
}
