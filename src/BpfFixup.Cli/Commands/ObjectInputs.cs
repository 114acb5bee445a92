// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Model;
using BpfFixup.Rewrite;

namespace BpfFixup.Cli.Commands;

/// <summary>Loads every input first: a bad one prints one error line and the command stops with exit 2.</summary>
internal static class ObjectInputs
{
    /// <summary>Loads <paramref name="files"/>; null (after one error line) when any fails.</summary>
    public static List<BpfObject>? LoadAll(IEnumerable<string> files, TextWriter error)
    {
        var loaded = new List<BpfObject>();
        var names = files.ToList();
        foreach (var file in names)
        {
            ProgressReporter.Step("reading", file, loaded.Count, names.Count);
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
    /// An object that was not patched, the same in every command: its diagnostics, then one line saying what is not
    /// done and why; returns the command's exit code for it: 2 (<see cref="ExitCodes.BadInput"/>) when the input is
    /// damaged, else 1 (<see cref="ExitCodes.CheckFailed"/>: the kernel would reject it, or it cannot be patched).
    /// </summary>
    public static int WriteRejected(BpfObject obj, string consequence, FixupPipeline.Rejection rejection, TextWriter error)
    {
        WriteDiagnostics(rejection.Diagnostics, error);
        CliErrors.Write(error, $"{obj.FileName}: {consequence}: {rejection.Reason} (see the errors above)");
        return rejection.InputDamaged ? ExitCodes.BadInput : ExitCodes.CheckFailed;
    }
}
