// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Diff;
using BpfFixup.Model;
using BpfFixup.Pipeline;
using BpfFixup.Rendering;
using BpfFixup.Rendering.Json;
using BpfFixup.Rewrite;
using BpfFixup.Snapshots;

namespace BpfFixup.Fuzz;

/// <summary>
/// One fuzzing iteration: the bytes of one object go through the library entry points every command uses, the way
/// the CLI calls them (src/BpfFixup.Cli/Commands), with every output rendered in memory. The library promises to
/// turn any input into diagnostics, so an exception escaping <see cref="Run"/> is a bug; so is a broken promise
/// the harness can check cheaply (<see cref="FuzzInvariantException"/>). An input that is not an ELF file is a
/// flags byte and instructions (<see cref="StreamObject"/>). The regression tests
/// (tests/BpfFixup.Tests/Fuzz) replay saved inputs through this same file.
/// </summary>
public static class FuzzTarget
{
    /// <summary>
    /// Inputs above this size are not run (AFL++ is told the same with <c>-G</c>): the samples are 7–22 KiB, and a
    /// larger cap only slows every execution down without reaching new code.
    /// </summary>
    public const int MaxInputSize = 64 * 1024;

    private const string FileName = "fuzz.o";

    /// <summary>Runs every entry point on <paramref name="data"/>.</summary>
    public static void Run(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length > MaxInputSize)
        {
            return;
        }

        if (!StreamObject.IsElf(data))
        {
            data = StreamObject.Build(data);
        }

        // The loader (every command starts with it): false means exactly one error naming the file.
        var bag = new DiagnosticBag();
        if (!ObjectLoader.TryLoad(data, FileName, bag, out var obj) || obj is null)
        {
            Require(bag.Items.Count == 1 && bag.Items[0].Severity == Severity.Error && bag.Items[0].File == FileName,
                "a rejected input must give exactly one error diagnostic naming the file");
            return;
        }

        Dump(obj);
        Check(obj);

        // diff A A: the object against itself has no differences.
        var listings = FixupDiff.Listings(obj, null, null);
        var same = ListingDiff.Compare("a.o", listings, "b.o", listings, 3);
        Require(!same.HasDifferences, "an object diffed against itself must have no differences");
        RenderDiff(same);

        foreach (var abi in KernelAbi.Table)
        {
            // The second ABI also keeps DWARF (patch --keep-debug): both rewrite paths run on every input. What
            // renders the patched object is the same code for both, so it runs for the default ABI only.
            bool first = abi.Name == KernelAbi.DefaultName;
            Patch(obj, new RewriteOptions { Abi = abi, KeepDebug = !first }, first ? listings : null);
        }
    }

    /// <summary><c>dump</c> in both syntaxes (llvm with source lines and raw bytes), <c>dump --json</c>, and both filtered to one function.</summary>
    private static void Dump(BpfObject obj)
    {
        foreach (var syntax in new[] { ListingSyntax.Llvm, ListingSyntax.Xlated })
        {
            var options = new ListingOptions { Syntax = syntax, ShowRawBytes = syntax == ListingSyntax.Llvm, ShowSource = syntax == ListingSyntax.Llvm };
            new ListingWriter(options).Write(obj, TextWriter.Null);
        }

        _ = DumpJson.Serialize([DumpJson.Build(obj, new ListingOptions { ShowSource = true })]);
        if (obj.Functions.Count > 0)
        {
            // dump --section S --program P with the last function's names.
            var fn = obj.Functions[^1];
            var only = new ListingOptions { Section = fn.Section.Name, Program = fn.Name };
            new ListingWriter(only).Write(obj, TextWriter.Null);
            _ = DumpJson.Serialize([DumpJson.Build(obj, only)]);
        }
    }

    /// <summary><c>check</c>: the analysis and its text, JSON and SARIF reports.</summary>
    private static void Check(BpfObject obj)
    {
        var results = new[] { ObjectAnalyzer.Analyze(obj) };
        _ = CheckReport.Text(results, KernelAbi.DefaultName);
        _ = CheckReport.Json(results, KernelAbi.DefaultName);
        _ = CheckReport.Sarif(results, "0.0.0-fuzz");
    }

    /// <summary>
    /// <c>patch --dry-run --report --diff</c> in memory, then what needs the patched object: <c>dump --fixup</c>,
    /// <c>snapshot</c> entries, <c>diff X --fixup</c>, <c>diff --fixup A B</c>, and <c>check</c> and <c>patch</c> of the
    /// patched object.
    /// </summary>
    /// <param name="obj">The object.</param>
    /// <param name="options">The ABI and <c>--keep-debug</c>.</param>
    /// <param name="before">The object's listings, to render the patched object's snapshots and diffs; null not to.</param>
    private static void Patch(BpfObject obj, RewriteOptions options, IReadOnlyList<ProgramListing>? before)
    {
        var outcome = FixupPipeline.Run(obj, options);
        var rewrite = outcome.Rewrite ?? throw new FuzzInvariantException("the fixup of a loaded object must give a rewrite result");
        foreach (var d in rewrite.Diagnostics)
        {
            // FixupPipeline's own words when the writer's output does not load again: a bug, not bad input.
            Require(!d.Message.StartsWith("internal error", StringComparison.Ordinal), "the fixup reported " + d.Message);
        }

        _ = PatchReport.Json([PatchReport.Model(FileName, null, false, rewrite)]);
        if (rewrite.Output is null)
        {
            Require(rewrite.HasErrors, "a rewrite without output must say why with an error");
            Require(outcome.Patched is null && ObjectSnapshots.Entries(outcome, options.Abi.Name) is null, "a rejected object has no snapshot");
            return;
        }

        // patch --verify: the written object loads again and holds the slots the rewrite wrote. patch and check no
        // longer reload on every run (issue 11), so this is where an output that does not load is caught.
        var verified = FixupPipeline.SelfCheck(outcome);
        Require(verified.Rewrite?.Output is not null, "the self-check of a written rewrite must pass: " + string.Join("; ", verified.Rewrite?.Diagnostics.Where(d => d.Severity == Severity.Error) ?? []));
        var patched = outcome.Patched ?? throw new FuzzInvariantException("a written rewrite must load again");
        _ = rewrite.Summary?.Describe(FileName) ?? throw new FuzzInvariantException("a written rewrite must have a summary");
        new ListingWriter(new ListingOptions()).Write(patched, TextWriter.Null);
        if (before is not null)
        {
            var entries = ObjectSnapshots.Entries(outcome, options.Abi.Name) ?? throw new FuzzInvariantException("a patched object must have snapshot entries");
            Require(entries.Count == patched.Programs.Count, "one snapshot entry per program");
            RenderDiff(FixupDiff.OfFixup(outcome, null, 3));
            RenderDiff(ListingDiff.Compare("a.o", before, "b.o", FixupDiff.Listings(patched, rewrite.Inlined, null), 0));
        }

        // The README's CI recipe checks the patched object; patching it again changes nothing.
        var again = ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(patched), options);
        Require(!again.HasErrors, "check of the patched object must pass: " + string.Join("; ", again.Diagnostics.Where(d => d.Severity == Severity.Error)));
        Require(again.Summary is { Unchanged: true }, "patching a patched object must change nothing");
    }

    /// <summary>The three <c>diff</c> formats: unified, JSON and the stat table.</summary>
    private static void RenderDiff(ListingDiffResult result)
    {
        _ = result.RenderUnified();
        _ = result.ToJson();
        _ = result.RenderStatTable();
    }

    private static void Require(bool condition, string promise)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(promise);
        }
    }
}

/// <summary>A promise of the library that an input broke without an exception of its own.</summary>
public sealed class FuzzInvariantException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FuzzInvariantException()
    {
    }

    /// <summary>Creates the exception with the promise broken.</summary>
    public FuzzInvariantException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the promise broken and its cause.</summary>
    public FuzzInvariantException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
