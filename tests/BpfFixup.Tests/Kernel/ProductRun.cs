// SPDX-License-Identifier: MIT
using System.Collections.Concurrent;
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Model;
using BpfFixup.Rewrite;

namespace BpfFixup.Tests.Kernel;

/// <summary>
/// What BpfFixup says about one sample, in the shape the kernel is asked: a verdict per program, and the patched
/// program of each program it accepts. The kernel loads each program on its own (the loader turns the others'
/// autoload off), so the patch is made from the analysis of the accepted programs only: a program BpfFixup rejects
/// does not stop the comparison of the others, as a rejected program does not stop their load.
/// </summary>
public sealed class ProductRun
{
    private static readonly ConcurrentDictionary<string, ProductRun> Cache = new(StringComparer.Ordinal);
    private readonly Lazy<FixupPipeline.Outcome> kernelInlinesPatch;
    private readonly ConcurrentDictionary<BpfFixup.Btf.KernelBtf, FixupPipeline.Outcome> kernelInlinesWithBtf = new();

    private ProductRun(string name)
    {
        Name = name;
        Analysis = ObjectAnalyzer.Analyze(TestHelpers.LoadSample(name));
        Patch = MakePatch(new RewriteOptions());
        kernelInlinesPatch = new Lazy<FixupPipeline.Outcome>(() => MakePatch(new RewriteOptions { KernelInlines = true }));
    }

    /// <summary>The sample's file name.</summary>
    public string Name { get; }

    /// <summary>The analysis of the whole object (what <c>check</c> reports).</summary>
    public AnalysisResult Analysis { get; }

    /// <summary>The fixup of the programs BpfFixup accepts.</summary>
    public FixupPipeline.Outcome Patch { get; }

    /// <summary>The same fixup with <c>--kernel-inlines</c>: the tracing helper inlines of do_misc_fixups too.</summary>
    public FixupPipeline.Outcome KernelInlinesPatch => kernelInlinesPatch.Value;

    /// <summary>
    /// The fixup with <c>--kernel-inlines --kernel-btf</c>: the tp_btf forms of get_func_arg and get_func_arg_cnt too,
    /// which need the tracepoint's prototype. The programs are those accepted without the kernel's BTF (the loader
    /// retargets the ones whose target 7.2 lacks), so the checks of --kernel-btf are not applied here.
    /// </summary>
    public FixupPipeline.Outcome KernelInlinesPatchWith(BpfFixup.Btf.KernelBtf kernel) =>
        kernelInlinesWithBtf.GetOrAdd(kernel, k => MakePatch(new RewriteOptions { KernelInlines = true, KernelBtf = k }, alwaysAlone: true));

    /// <summary>The analysis and patch of sample <paramref name="name"/>, made once per test run.</summary>
    public static ProductRun Of(string name) => Cache.GetOrAdd(name, n => new ProductRun(n));

    /// <summary>The errors <c>check</c> reports against <paramref name="program"/>: its own, and object-wide ones.</summary>
    public IReadOnlyList<Diagnostic> Errors(string program)
    {
        var report = Analysis.Programs.Single(p => p.Program.Name == program);
        var reached = report.Reachable.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        return Analysis.Diagnostics.Where(d => d.Severity == Severity.Error && (
            d.Program == program
            || (d.Program is null && d.Function is not null && reached.Contains(d.Function))
            || (d.Program is null && d.Function is null))).ToList();
    }

    /// <summary>True when <c>check</c> accepts <paramref name="program"/>.</summary>
    public bool Accepts(string program) => Errors(program).Count == 0;

    /// <summary>The patched object, or a failure naming why there is none.</summary>
    public BpfObject PatchedObject() => PatchedObject(Patch);

    /// <summary>The object of <paramref name="patch"/>, or a failure naming why there is none.</summary>
    public BpfObject PatchedObject(FixupPipeline.Outcome patch)
    {
        Assert.True(patch.Patched is not null, $"{Name}: BpfFixup wrote no patched object:\n{string.Join("\n", patch.Rewrite?.Diagnostics ?? [])}");
        return patch.Patched!;
    }

    private FixupPipeline.Outcome MakePatch(RewriteOptions options, bool alwaysAlone = false)
    {
        var accepted = Analysis.Programs.Where(p => Errors(p.Program.Name).Count == 0).ToList();
        var rejected = Analysis.Programs.Except(accepted).Select(p => p.Program.Name).ToHashSet(StringComparer.Ordinal);
        if (rejected.Count == 0 && !alwaysAlone)
        {
            return FixupPipeline.Run(Analysis.Object, options);
        }

        var alone = Analysis with
        {
            Programs = accepted,
            Diagnostics = [.. Analysis.Diagnostics.Where(d => !rejected.Contains(d.Program ?? d.Function ?? string.Empty))],
        };
        return FixupPipelineOf(alone, options);
    }

    private static FixupPipeline.Outcome FixupPipelineOf(AnalysisResult analysis, RewriteOptions options)
    {
        // The patched object is loaded when asked for (PatchedObject), as the pipeline's own outcomes do.
        return new FixupPipeline.Outcome(analysis.Object, ObjectRewriter.Rewrite(analysis, options), null);
    }
}
