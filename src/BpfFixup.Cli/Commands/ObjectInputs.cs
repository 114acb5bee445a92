// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Diagnostics;
using BpfFixup.Model;
using BpfFixup.Rendering;
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
            if (Load(file, error, out _) is not { } obj)
            {
                return null;
            }

            loaded.Add(obj);
        }

        return loaded;
    }

    /// <summary>
    /// Loads every one of <paramref name="files"/> that can be loaded; each one that cannot gets its error line and
    /// its diagnostic in <paramref name="failures"/> (for a report that records it, as SARIF does).
    /// </summary>
    public static List<BpfObject> LoadEach(IEnumerable<string> files, TextWriter error, List<Diagnostic> failures)
    {
        var loaded = new List<BpfObject>();
        var names = files.ToList();
        for (int i = 0; i < names.Count; i++)
        {
            string file = names[i];
            ProgressReporter.Step("reading", file, i, names.Count);
            if (Load(file, error, out var failure) is { } obj)
            {
                loaded.Add(obj);
            }
            else
            {
                failures.Add(failure);
            }
        }

        return loaded;
    }

    private static BpfObject? Load(string file, TextWriter error, out Diagnostic failure)
    {
        var diagnostics = new DiagnosticBag();
        var obj = ObjectLoader.LoadFile(file, diagnostics);
        failure = diagnostics.Items.Count > 0 ? diagnostics.Items[0] : new Diagnostic { Id = DiagnosticIds.IoError, Severity = Severity.Error, Message = "cannot load", File = file };
        if (obj is null)
        {
            CliErrors.Write(error, failure);
        }

        return obj;
    }

    /// <summary>Writes warnings and errors (<see cref="DiagnosticText"/>: the gcc-form line, source line and caret, hint) to <paramref name="error"/>.</summary>
    /// <remarks>One reused buffer (<see cref="BufferedText"/>, as <c>check</c>'s text report): no string per
    /// diagnostic (a rejected 1M-slot object has 124k of them).</remarks>
    public static void WriteDiagnostics(IEnumerable<Diagnostic> diagnostics, TextWriter error, bool includeNotes = false)
    {
        var sb = new StringBuilder();
        foreach (var d in diagnostics)
        {
            // A BPF3026 note stands for a later program's copies of errors already shown: it says that program is rejected too.
            if (d.Severity != Severity.Note || includeNotes || d.Id == DiagnosticIds.Repeated)
            {
                DiagnosticText.Append(sb, d);
                BufferedText.FlushIfFull(error, sb);
            }
        }

        BufferedText.Flush(error, sb);
    }

    /// <summary>
    /// Runs the fixup on <paramref name="obj"/>, for every command that needs it, and reports a rejection the same way
    /// in all of them (<see cref="WriteRejected"/>): false then, with the command's exit code for the object in
    /// <paramref name="exitCode"/>. <paramref name="outcome"/> is set either way (patch reports a rejected object too).
    /// </summary>
    /// <param name="consequence">What is not done, e.g. <c>not patched</c>, <c>no snapshot</c>.</param>
    /// <param name="verify">Also run the verification pass (<see cref="FixupPipeline.SelfCheck"/>, <c>patch --verify</c>).</param>
    public static bool TryFixup(BpfObject obj, RewriteOptions options, string consequence, TextWriter error, out FixupPipeline.Outcome outcome, out int exitCode, bool verify = false)
    {
        var analysis = FixupPipeline.Analyze(obj, options);
        outcome = FullCollections.HeldOff(() => FixupPipeline.Rewrite(analysis, options));
        if (verify)
        {
            outcome = FixupPipeline.SelfCheck(outcome);
        }

        if (outcome.Rejected is not { } rejected)
        {
            exitCode = ExitCodes.Success;
            return true;
        }

        exitCode = WriteRejected(obj, consequence, rejected, error);
        return false;
    }

    /// <summary>
    /// An object that was not patched, the same in every command: its diagnostics, then one line saying what is not
    /// done and why; returns the command's exit code for it: 2 (<see cref="ExitCodes.BadInput"/>) when the input is
    /// damaged, else 1 (<see cref="ExitCodes.CheckFailed"/>: the kernel would reject it, or it cannot be patched).
    /// </summary>
    private static int WriteRejected(BpfObject obj, string consequence, FixupPipeline.Rejection rejection, TextWriter error)
    {
        WriteDiagnostics(rejection.Diagnostics, error);
        CliErrors.Write(error, $"{obj.FileName}: {consequence}: {rejection.Reason} (see the errors above)");
        return rejection.InputDamaged ? ExitCodes.BadInput : ExitCodes.CheckFailed;
    }
}
