// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>
/// The whole offline fixup on one object: load, verify, rewrite, and reload the result (the self-check). Every
/// command that judges or patches an object goes through here, so <c>check</c> refuses exactly what
/// <c>patch</c> refuses, with the same diagnostics.
/// </summary>
public static class FixupPipeline
{
    /// <summary>Outcome of <see cref="Run(BpfObject, RewriteOptions)"/>.</summary>
    /// <param name="Original">The loaded input, or null when it is malformed.</param>
    /// <param name="Rewrite">The rewrite, or null when the input is malformed.</param>
    /// <param name="Patched">The rewritten object loaded again, or null when nothing was written.</param>
    /// <param name="LoadError">The one error that stopped loading, if any.</param>
    public sealed record Outcome(BpfObject? Original, RewriteResult? Rewrite, BpfObject? Patched, Diagnostic? LoadError)
    {
        /// <summary>
        /// The analysis with the errors only the rewrite meets added (a jump that no longer fits, damage the
        /// rewrite cannot carry over, the self-check): what <c>check</c> reports. Null when the input did not load.
        /// </summary>
        public AnalysisResult? Verdict => Rewrite is not { } r ? null : r.Analysis with
        {
            Diagnostics = [.. r.Analysis.Diagnostics, .. r.Diagnostics.Skip(r.Analysis.Diagnostics.Count).Where(d => d.Severity == Severity.Error)],
        };

        /// <summary>Why nothing was patched, when nothing was: the diagnostics to show and the reason in a phrase.</summary>
        public Rejection? Rejected => Rewrite is { Output: null } r ? new Rejection(r.Diagnostics, ReasonOf(r.Diagnostics)) : null;
    }

    /// <summary>Why an object was not patched.</summary>
    /// <param name="Diagnostics">Everything found, errors included.</param>
    /// <param name="Reason">
    /// <c>the input is damaged</c> (a malformed ELF, BTF or .BTF.ext), <c>the kernel would reject it</c> (the
    /// verifier-like pass or the kernel's own fixup limits), or <c>it cannot be patched</c>.
    /// </param>
    public sealed record Rejection(IReadOnlyList<Diagnostic> Diagnostics, string Reason)
    {
        /// <summary>True when the first error is damage in the input (exit 2 in every command), not a verdict.</summary>
        public bool InputDamaged => Diagnostics.FirstOrDefault(d => d.Severity == Severity.Error) is { } first && IsInputDamage(first);
    }

    /// <summary>True when <paramref name="d"/> reports a malformed ELF, BTF or .BTF.ext rather than a verdict on the code.</summary>
    public static bool IsInputDamage(Diagnostic d) => d.Id is DiagnosticIds.MalformedElf or DiagnosticIds.MalformedBtf or DiagnosticIds.MalformedBtfExt or DiagnosticIds.BtfExtOutOfBounds;

    /// <summary>Runs the fixup on <paramref name="data"/>.</summary>
    public static Outcome Run(byte[] data, string fileName, RewriteOptions options)
    {
        var bag = new DiagnosticBag();
        if (!ObjectLoader.TryLoad(data, fileName, bag, out var obj) || obj is null)
        {
            return new Outcome(null, null, null, bag.Items.Count > 0 ? bag.Items[0] : null);
        }

        return Run(obj, options);
    }

    /// <summary>Runs the fixup on a loaded object: everything <c>patch</c> does short of writing a file.</summary>
    public static Outcome Run(BpfObject obj, RewriteOptions options)
    {
        var result = ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(obj, options.KernelBtf), options);
        BpfObject? patched = null;
        if (result.Output is { } bytes)
        {
            var again = new DiagnosticBag();
            if (!ObjectLoader.TryLoad(bytes, obj.FileName, again, out patched))
            {
                // The checks before should have named whatever the rewrite could not carry over; say where the
                // output breaks, as the input's damage, and write nothing.
                return new Outcome(obj, result with
                {
                    Output = null,
                    Diagnostics = [.. result.Diagnostics, .. again.Items.Select(d => d with
                    {
                        Message = "self-check: the patched output does not load, so the input's damage could not be carried over: " + d.Message,
                    })],
                }, null, null);
            }
        }

        return new Outcome(obj, result, patched, null);
    }

    /// <summary>What <c>check</c> reports for <paramref name="obj"/>: <see cref="Outcome.Verdict"/> of the whole fixup.</summary>
    public static AnalysisResult Verify(BpfObject obj, RewriteOptions options) => Run(obj, options).Verdict!;

    private static string ReasonOf(IReadOnlyList<Diagnostic> diagnostics)
    {
        var first = diagnostics.FirstOrDefault(d => d.Severity == Severity.Error);
        return first switch
        {
            not null when IsInputDamage(first) => "the input is damaged",
            null or { Id: DiagnosticIds.OutputTooLarge or DiagnosticIds.Specialised } => "it cannot be patched",
            _ => "the kernel would reject it",
        };
    }
}
