// SPDX-License-Identifier: MIT
using System.Globalization;
using BpfFixup.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace BpfFixup.IO;

/// <summary>Reading one input file whole, with a failure as one diagnostic (never an exception, never an absolute path).</summary>
public static class InputFile
{
    /// <summary>The bytes of <paramref name="path"/>, or null with one error naming <paramref name="name"/>.</summary>
    /// <remarks>
    /// Only a regular file is read (a symlink counts as its target), as readelf requires of its inputs ("is not an
    /// ordinary file"): a FIFO would wait for a writer forever and a device may never end (<c>/dev/zero</c>). A
    /// directory is left to the read, which names it. A file longer than an array can hold is refused before reading,
    /// and so is the file stdout writes to (<c>&gt;&gt; x.o</c>).
    /// </remarks>
    public static byte[]? TryRead(string path, string name, DiagnosticBag diagnostics) => TryRead(path, name, diagnostics, 0, null);

    /// <summary>
    /// The bytes of <paramref name="path"/>, or null with one error naming <paramref name="name"/>; with
    /// <paramref name="checkHead"/>, its first <paramref name="headSize"/> bytes are judged before the rest is read.
    /// </summary>
    /// <remarks>
    /// As <see cref="TryRead(string, string, DiagnosticBag)"/>; a file whose first bytes already tell that it is not
    /// what the command reads (a 1.9 GB file of zeros is not an ELF file) costs those bytes, not its length.
    /// </remarks>
    /// <param name="path">The file.</param>
    /// <param name="name">The file as messages name it.</param>
    /// <param name="diagnostics">Where the one error goes.</param>
    /// <param name="headSize">How many bytes <paramref name="checkHead"/> is given (fewer when the file is shorter).</param>
    /// <param name="checkHead">Judges the first bytes and the file's length: false (after adding its error) stops the read.</param>
    public static byte[]? TryRead(string path, string name, DiagnosticBag diagnostics, int headSize, InputHeadCheck? checkHead)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        ArgumentOutOfRangeException.ThrowIfNegative(headSize);
        string problem;
        try
        {
            var status = FileStatus.Of(path, followLinks: true);
            var kind = status.Kind;
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
            else
            {
                using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
                if (checkHead is not null)
                {
                    var head = new byte[headSize];
                    int got = ReadFrom(handle, head, 0);
                    if (!checkHead(head.AsSpan(0, got), Math.Max(RandomAccess.GetLength(handle), got), diagnostics))
                    {
                        return null;
                    }
                }

                long length = RandomAccess.GetLength(handle);
                if (length <= Array.MaxLength)
                {
                    return ReadWhole(handle, length);
                }

                problem = string.Create(CultureInfo.InvariantCulture, $"{IoErrors.Strerror(Errno.FileTooLarge)} ({length} bytes; an input is read whole, at most {Array.MaxLength})");
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

    /// <summary>
    /// The file's <paramref name="length"/> bytes, fewer if it ended sooner (as <see cref="File.ReadAllBytes"/>); a
    /// length of 0 (procfs and sysfs files may say so) is read until the end.
    /// </summary>
    private static byte[] ReadWhole(SafeFileHandle handle, long length)
    {
        if (length > 0)
        {
            var data = new byte[length];
            int got = ReadFrom(handle, data, 0);
            return got == data.Length ? data : data[..got];
        }

        using var unknown = new MemoryStream();
        var chunk = new byte[1 << 16];
        int n;
        while ((n = RandomAccess.Read(handle, chunk, unknown.Length)) > 0)
        {
            if (unknown.Length + n > Array.MaxLength)
            {
                throw IoErrors.FromErrno(Errno.FileTooLarge);
            }

            unknown.Write(chunk, 0, n);
        }

        return unknown.ToArray();
    }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/> on; how many bytes there were (fewer at the end of the file).</summary>
    private static int ReadFrom(SafeFileHandle handle, byte[] buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = RandomAccess.Read(handle, buffer.AsSpan(total), offset + total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    /// <summary>Whether stdout writes to the regular file <paramref name="input"/>.</summary>
    /// <remarks>Not stderr: the error line would go there, into the input; a clean run writes nothing to it.</remarks>
    private static bool StdoutWritesTo(FileStatus input) =>
        FileStatus.OfDescriptor(1) is { Kind: FileKind.Regular } stdout && stdout.SameFileAs(input);
}

