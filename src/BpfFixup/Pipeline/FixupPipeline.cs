// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Model;
using BpfFixup.Rewrite;

namespace BpfFixup.Pipeline;

/// <summary>
/// The whole offline fixup on one object: load, analyse, rewrite; the reload of the result (the self-check) only when
/// asked (<see cref="SelfCheck"/>). It sits above the layers it calls (Model, Analysis, Rewrite). Every command that
/// judges or patches an object goes through here, so <c>check</c> refuses exactly what
/// <c>patch</c> refuses, with the same diagnostics.
/// </summary>
public static class FixupPipeline
{
    /// <summary>Outcome of <see cref="Run(BpfObject, RewriteOptions)"/>.</summary>
    public sealed record Outcome : IFixupOutcome
    {
        private readonly Lazy<BpfObject?> patched;

        /// <summary>The outcome of loading <paramref name="Original"/> and rewriting it.</summary>
        public Outcome(BpfObject? Original, RewriteResult? Rewrite, Diagnostic? LoadError)
        {
            this.Original = Original;
            this.Rewrite = Rewrite;
            this.LoadError = LoadError;
            patched = new(() => Reload(this.Original, this.Rewrite, out _));
        }

        // A copy made by `with` reloads its own output (its Rewrite may be another), never the one of the original.
        private Outcome(Outcome other)
        {
            Original = other.Original;
            Rewrite = other.Rewrite;
            LoadError = other.LoadError;
            patched = new(() => Reload(Original, Rewrite, out _));
        }

        /// <summary>The loaded input, or null when it is malformed.</summary>
        public BpfObject? Original { get; init; }

        /// <summary>The rewrite, or null when the input is malformed.</summary>
        public RewriteResult? Rewrite { get; init; }

        /// <summary>The one error that stopped loading, if any.</summary>
        public Diagnostic? LoadError { get; init; }

        /// <summary>
        /// The written object loaded again, or null when nothing was written (or, only for a bug in the writer, when it
        /// does not load). Loaded on first use: <c>patch</c> and <c>check</c> never ask for it (issue 11: no reload per
        /// run); the listings of <c>dump --fixup</c>, <c>diff --fixup</c> and <c>snapshot</c> do.
        /// </summary>
        public BpfObject? Patched => patched.Value;

        /// <summary>
        /// The analysis with the errors only the rewrite meets added (a jump that no longer fits, damage the
        /// rewrite cannot carry over; the self-check when it ran): what <c>check</c> reports. Null when the input did not load.
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
    /// <c>the input is damaged</c> (a malformed ELF, BTF or .BTF.ext), <c>the input is too large to follow</c>
    /// (<see cref="DiagnosticIds.ReachLimit"/>), <c>the kernel would reject it</c> (the
    /// verifier-like pass or the kernel's own fixup limits), or <c>it cannot be patched</c>.
    /// </param>
    public sealed record Rejection(IReadOnlyList<Diagnostic> Diagnostics, string Reason)
    {
        /// <summary>True when the first error is damage in the input (exit 2 in every command), not a verdict.</summary>
        public bool InputDamaged => Diagnostics.FirstOrDefault(d => d.Severity == Severity.Error) is { } first && IsInputDamage(first);
    }

    /// <summary>True when <paramref name="d"/> reports a malformed ELF, BTF or .BTF.ext rather than a verdict on the code.</summary>
    /// <remarks>So is an object whose programs reach more shared code than the tool follows (<see cref="DiagnosticIds.ReachLimit"/>): hostile in size, bad input, exit 2.</remarks>
    public static bool IsInputDamage(Diagnostic d) => d.Id is DiagnosticIds.MalformedElf or DiagnosticIds.MalformedBtf or DiagnosticIds.MalformedBtfExt or DiagnosticIds.BtfExtOutOfBounds or DiagnosticIds.ReachLimit;

    /// <summary>Runs the fixup on <paramref name="data"/>.</summary>
    public static Outcome Run(byte[] data, string fileName, RewriteOptions options)
    {
        var bag = new DiagnosticBag();
        if (!ObjectLoader.TryLoad(data, fileName, bag, out var obj) || obj is null)
        {
            return new Outcome(null, null, bag.Items.Count > 0 ? bag.Items[0] : null);
        }

        return Run(obj, options);
    }

    /// <summary>Runs the fixup on a loaded object: everything <c>patch</c> does short of writing a file.</summary>
    /// <remarks>
    /// The same as <see cref="Analyze"/> then <see cref="Rewrite"/>, the two steps a caller takes apart to run each
    /// under its own conditions (the CLI holds full collections off for the rewrite only: a choice for the process,
    /// which the library leaves alone).
    /// </remarks>
    public static Outcome Run(BpfObject obj, RewriteOptions options) => Rewrite(Analyze(obj, options), options);

    /// <summary>The first step of <see cref="Run(BpfObject, RewriteOptions)"/>: the analysis of <paramref name="obj"/>.</summary>
    public static AnalysisResult Analyze(BpfObject obj, RewriteOptions options) => ObjectAnalyzer.Analyze(obj, options.KernelBtf);

    /// <summary>The second step of <see cref="Run(BpfObject, RewriteOptions)"/>: the rewrite <paramref name="analysis"/> decides.</summary>
    public static Outcome Rewrite(AnalysisResult analysis, RewriteOptions options) => new(analysis.Object, ObjectRewriter.Rewrite(analysis, options), null);

    /// <summary>
    /// The verification pass (<c>patch --verify</c>, and the tests): loads the written object again and checks that
    /// it holds the slots the rewrite says it wrote. When it does not, the outcome becomes a rejection naming where the
    /// output breaks, as the input's damage (the checks before should have named whatever the rewrite could not carry
    /// over), and nothing is to be written.
    /// </summary>
    public static Outcome SelfCheck(Outcome outcome)
    {
        if (outcome.Rewrite is not { Output: not null } result)
        {
            return outcome;
        }

        // The outcome's own lazy load, so that a caller that then shows the patched listings (patch --verify --diff)
        // does not load the output a second time; only when it does not load is it read again, for why.
        var patched = outcome.Patched;
        IReadOnlyList<Diagnostic> problems = [];
        if (patched is null)
        {
            Reload(outcome.Original, result, out problems);
        }

        if (problems.Count > 0)
        {
            problems = [.. problems.Select(d => d with
            {
                Message = "self-check: the patched output does not load, so the input's damage could not be carried over: " + d.Message,
            })];
        }
        else if (patched is not null && result.Summary is { } summary && patched.CodeSections.Sum(s => s.SlotCount) is var slots && slots != summary.SlotsAfter)
        {
            problems = [new Diagnostic
            {
                Id = DiagnosticIds.MalformedElf,
                Severity = Severity.Error,
                Message = $"self-check: the patched output holds {slots} instruction slots where the rewrite wrote {summary.SlotsAfter}",
                File = patched.FileName,
            }];
        }

        return problems.Count == 0 ? outcome : outcome with { Rewrite = result with { Output = null, Diagnostics = [.. result.Diagnostics, .. problems] } };
    }

    /// <summary>Loads <paramref name="result"/>'s output again; null (and what stopped it) when there is none or it does not load.</summary>
    private static BpfObject? Reload(BpfObject? original, RewriteResult? result, out IReadOnlyList<Diagnostic> problems)
    {
        problems = [];
        if (original is null || result?.Output is not { } bytes)
        {
            return null;
        }

        var bag = new DiagnosticBag();
        if (!ObjectLoader.TryLoad(bytes, original.FileName, bag, out var patched))
        {
            problems = bag.Items;
            return null;
        }

        return patched;
    }

    /// <summary>What <c>check</c> reports for <paramref name="obj"/>: <see cref="Outcome.Verdict"/> of the whole fixup.</summary>
    /// <remarks>
    /// The rewrite runs in full but makes no output bytes: check decides everything patch does short of writing.
    /// </remarks>
    public static AnalysisResult Verify(BpfObject obj, RewriteOptions options) =>
        new Outcome(obj, ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(obj, options.KernelBtf), options, produce: false), null).Verdict!;

    private static string ReasonOf(IReadOnlyList<Diagnostic> diagnostics)
    {
        var first = diagnostics.FirstOrDefault(d => d.Severity == Severity.Error);
        return first switch
        {
            { Id: DiagnosticIds.ReachLimit } => "the input is too large to follow",
            not null when IsInputDamage(first) => "the input is damaged",
            null or { Id: DiagnosticIds.OutputTooLarge or DiagnosticIds.Specialised } => "it cannot be patched",
            _ => "the kernel would reject it",
        };
    }
}
