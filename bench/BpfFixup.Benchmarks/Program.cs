// SPDX-License-Identifier: MIT
namespace BpfFixup.Benchmarks;

/// <summary>Placeholder entry point so the skeleton builds; benchmarks replace it.</summary>
internal static class Program
{
    private static int Main() => 0;
}
