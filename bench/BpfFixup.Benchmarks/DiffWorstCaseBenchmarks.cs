// SPDX-License-Identifier: MIT
using BenchmarkDotNet.Attributes;
using BpfFixup.Diff;

namespace BpfFixup.Benchmarks;

/// <summary>
/// The line diff on crafted worst cases of 200k lines (issue 8: a program that differs throughout made
/// the O(N·D) search run for minutes). Needs no object file.
/// </summary>
[MemoryDiagnoser]
public class DiffWorstCaseBenchmarks
{
    private const int Lines = 200_000;
    private string[] unique = [];
    private string[] otherUnique = [];
    private string[] fewIds = [];
    private string[] otherFewIds = [];

    [GlobalSetup]
    public void Setup()
    {
        unique = [.. Enumerable.Range(0, Lines).Select(i => "r1 = " + i)];
        otherUnique = [.. Enumerable.Range(0, Lines).Select(i => "r2 = " + i)];
        var rng = new Random(20260124);
        fewIds = [.. Enumerable.Range(0, Lines).Select(_ => "r" + rng.Next(8) + " = r6")];
        otherFewIds = [.. Enumerable.Range(0, Lines).Select(_ => "r" + rng.Next(8) + " = r6")];
    }

    /// <summary>No line in common: every line is discarded before the search.</summary>
    [Benchmark]
    public int FullyDifferent() => StreamDiffer.Diff(unique, otherUnique).EditCount;

    /// <summary>Two random sequences over 8 lines: D ≈ N, every split hits the cost limit.</summary>
    [Benchmark]
    public int RandomOverEightLines() => StreamDiffer.Diff(fewIds, otherFewIds).EditCount;

    /// <summary>Reversed: every line matches, but only one at a time.</summary>
    [Benchmark]
    public int Reversed() => StreamDiffer.Diff(fewIds, [.. Enumerable.Reverse(fewIds)]).EditCount;
}
