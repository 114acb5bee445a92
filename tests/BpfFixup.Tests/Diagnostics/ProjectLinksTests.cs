// SPDX-License-Identifier: MIT
using System.Xml.Linq;
using BpfFixup.Diagnostics;

namespace BpfFixup.Tests;

/// <summary>The project's address is set once (Directory.Build.props' RepositoryUrl): the package and SARIF use that one.</summary>
public sealed class ProjectLinksTests
{
    private static string Property(string file, string name) =>
        XDocument.Load(Path.Combine(TestPaths.RepoRoot, file)).Descendants(name).Single().Value;

    [Fact]
    public void Sarif_links_are_the_build_s_repository_url()
    {
        string url = Property("Directory.Build.props", "RepositoryUrl");
        Assert.StartsWith("https://", url, StringComparison.Ordinal);
        Assert.Equal(url, ProjectLinks.Home);
        Assert.Equal(url + "/blob/main/docs/diagnostics.md", ProjectLinks.DiagnosticsPage);
    }

    [Fact]
    public void The_package_s_project_url_is_the_same_property()
    {
        Assert.Equal("$(RepositoryUrl)", Property("Directory.Build.props", "PackageProjectUrl"));
        foreach (var project in new[] { "src/BpfFixup/BpfFixup.csproj", "src/BpfFixup.Cli/BpfFixup.Cli.csproj" })
        {
            var names = XDocument.Load(Path.Combine(TestPaths.RepoRoot, project)).Descendants().Select(e => e.Name.LocalName).ToList();
            Assert.DoesNotContain("RepositoryUrl", names);
            Assert.DoesNotContain("PackageProjectUrl", names);
        }
    }
}
