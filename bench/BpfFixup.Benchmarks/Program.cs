// SPDX-License-Identifier: MIT
using BenchmarkDotNet.Running;

namespace BpfFixup.Benchmarks;

/// <summary>
/// BenchmarkDotNet entry point. The objects come from <c>samples/bench/gen-large.sh</c>; <c>bench/run.sh</c>
/// generates them and passes their paths in <c>BPFFIXUP_BENCH_OBJECT</c> (and <c>BPFFIXUP_BENCH_VARIANT</c> for the diff).
/// </summary>
internal static class Program
{
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
