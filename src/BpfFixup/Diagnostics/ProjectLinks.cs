// SPDX-License-Identifier: MIT
using System.Reflection;

namespace BpfFixup.Diagnostics;

/// <summary>
/// Where the project and its documentation live (SARIF's informationUri and helpUri point here). The address is
/// the build's <c>RepositoryUrl</c> (Directory.Build.props, also the package's metadata), compiled into this assembly
/// as <c>[assembly: AssemblyMetadata("RepositoryUrl", …)]</c>; reading an assembly attribute is trim- and AOT-safe.
/// </summary>
public static class ProjectLinks
{
    /// <summary>The project's home page, without a trailing slash.</summary>
    public static string Home { get; } = RepositoryUrl();

    /// <summary>docs/diagnostics.md on the default branch: one <c>### BPFnnnn</c> heading per id.</summary>
    public static string DiagnosticsPage { get; } = Home + "/blob/main/docs/diagnostics.md";

    private static string RepositoryUrl()
    {
        foreach (var attribute in typeof(ProjectLinks).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
        {
            if (attribute.Key == "RepositoryUrl" && !string.IsNullOrEmpty(attribute.Value))
            {
                return attribute.Value.TrimEnd('/');
            }
        }

        throw new InvalidOperationException("BpfFixup.Core was built without its RepositoryUrl (Directory.Build.props)");
    }
}
