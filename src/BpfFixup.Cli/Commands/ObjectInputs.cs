// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Model;

namespace BpfFixup.Cli.Commands;

/// <summary>Loads every input first: a bad one prints one error line and the command stops with exit 2.</summary>
internal static class ObjectInputs
{
    /// <summary>Loads <paramref name="files"/>; null (after one error line) when any fails.</summary>
    public static List<BpfObject>? LoadAll(IEnumerable<string> files, TextWriter error)
    {
        var loaded = new List<BpfObject>();
        foreach (var file in files)
        {
            var diagnostics = new DiagnosticBag();
            var obj = ObjectLoader.LoadFile(file, diagnostics);
            if (obj is null)
            {
                CliErrors.Write(error, diagnostics.Items.Count > 0 ? diagnostics.Items[0] : new Diagnostic { Id = DiagnosticIds.IoError, Severity = Severity.Error, Message = "cannot load", File = file });
                return null;
            }

            loaded.Add(obj);
        }

        return loaded;
    }

    /// <summary>Writes warnings and errors, one line each, to <paramref name="error"/>.</summary>
    public static void WriteDiagnostics(IEnumerable<Diagnostic> diagnostics, TextWriter error, bool includeNotes = false)
    {
        foreach (var d in diagnostics)
        {
            if (d.Severity != Severity.Note || includeNotes)
            {
                error.Write(d.ToString());
                error.Write('\n');
            }
        }
    }

    /// <summary>
    /// The one line after the diagnostics of an object the kernel would reject: every command says it the same way
    /// and exits 1 (<see cref="ExitCodes.CheckFailed"/>).
    /// </summary>
    public static void WriteRejected(BpfObject obj, string consequence, TextWriter error) =>
        CliErrors.Write(error, $"{obj.FileName}: {consequence}: the kernel would reject it (see the errors above)");
}
