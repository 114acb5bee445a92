// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;

namespace BpfFixup.IO;

/// <summary>Reading one input file whole, with a failure as one diagnostic (never an exception, never an absolute path).</summary>
public static class InputFile
{
    /// <summary>The bytes of <paramref name="path"/>, or null with one error naming <paramref name="name"/>.</summary>
    public static byte[]? TryRead(string path, string name, DiagnosticBag diagnostics)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (IoErrors.IsFileSystemError(e))
        {
            // .NET's messages carry the absolute path: describe the failure without it, in the shape of every
            // bad-input line (<file>: <structure> at 0x<offset>: <what>).
            diagnostics.Add(new Diagnostic { Id = DiagnosticIds.IoError, Severity = Severity.Error, Message = "file at 0x0: cannot read: " + IoErrors.Describe(e, path), File = name });
            return null;
        }
    }
}
