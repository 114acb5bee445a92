// SPDX-License-Identifier: MIT
using BenchmarkDotNet.Attributes;
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Diff;
using BpfFixup.Model;
using BpfFixup.Rendering;
using BpfFixup.Rewrite;
using BpfFixup.Snapshots;

namespace BpfFixup.Benchmarks;

/// <summary>In-process cost of each pipeline stage on one large generated object.</summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private byte[] bytes = [];
    private byte[] variant = [];
    private BpfObject obj = null!;
    private BpfObject other = null!;
    private AnalysisResult analysis = null!;

    [GlobalSetup]
    public void Setup()
    {
        string path = Environment.GetEnvironmentVariable("BPFFIXUP_BENCH_OBJECT")
            ?? throw new InvalidOperationException("set BPFFIXUP_BENCH_OBJECT to an object made by samples/bench/gen-large.sh");
        bytes = File.ReadAllBytes(path);
        variant = File.ReadAllBytes(Environment.GetEnvironmentVariable("BPFFIXUP_BENCH_VARIANT") ?? path);
        obj = Load(bytes);
        other = Load(variant);
        analysis = ObjectAnalyzer.Analyze(obj);
    }

    private static BpfObject Load(byte[] data)
    {
        if (!ObjectLoader.TryLoad(data, "big.o", new DiagnosticBag(), out var o) || o is null)
        {
            throw new InvalidOperationException("the benchmark object does not load");
        }

        return o;
    }

    /// <summary>ELF read, decode, relocations, functions.</summary>
    [Benchmark]
    public BpfObject LoadAndDecode() => Load(bytes);

    /// <summary>The llvm-objdump-style listing.</summary>
    [Benchmark]
    public int Listing()
    {
        using var w = new StringWriter();
        new ListingWriter(new ListingOptions()).Write(obj, w);
        return w.GetStringBuilder().Length;
    }

    /// <summary>The verifier-like pass.</summary>
    [Benchmark]
    public AnalysisResult Analyze() => ObjectAnalyzer.Analyze(obj);

    /// <summary>The rewrite of an analysed object, writing the ELF.</summary>
    [Benchmark]
    public int Rewrite() => ObjectRewriter.Rewrite(analysis, new RewriteOptions()).Output!.Length;

    /// <summary>Label listings of both objects and their diff.</summary>
    [Benchmark]
    public bool DiffListings() =>
        ListingDiff.Compare("a.o", ProgramListingRenderer.Render(obj), "b.o", ProgramListingRenderer.Render(other)).HasDifferences;
}
