// SPDX-License-Identifier: MIT
namespace BpfFixup.Cli;

/// <summary>Placeholder entry point so the skeleton builds; the real command line replaces it.</summary>
internal static class Program
{
    private static int Main() => 0;
}
