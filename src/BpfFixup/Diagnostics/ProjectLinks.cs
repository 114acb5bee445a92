// SPDX-License-Identifier: MIT
namespace BpfFixup.Diagnostics;

/// <summary>Where the project and its documentation live (SARIF's informationUri and helpUri point here).</summary>
public static class ProjectLinks
{
    /// <summary>The project's home page.</summary>
    public const string Home = "https://github.com/bpffixup/bpffixup";

    /// <summary>docs/diagnostics.md on the default branch: one <c>### BPFnnnn</c> heading per id.</summary>
    public const string DiagnosticsPage = Home + "/blob/main/docs/diagnostics.md";
}
