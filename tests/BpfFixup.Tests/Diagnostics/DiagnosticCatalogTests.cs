// SPDX-License-Identifier: MIT
using System.Reflection;
using BpfFixup.Diagnostics;

namespace BpfFixup.Tests;

public sealed class DiagnosticCatalogTests
{
    private static IEnumerable<string> DeclaredIds() =>
        typeof(DiagnosticIds).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!);

    [Fact]
    public void Every_id_has_one_complete_entry()
    {
        var ids = DeclaredIds().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(ids, DiagnosticCatalog.All.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal(DiagnosticCatalog.All.Count, DiagnosticCatalog.All.Select(r => r.Name).Distinct(StringComparer.Ordinal).Count());
        foreach (var rule in DiagnosticCatalog.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(rule.Title), rule.Id);
            Assert.EndsWith(".", rule.Description, StringComparison.Ordinal);
            Assert.EndsWith(".", rule.Fix, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(rule.Origin), rule.Id);
            Assert.Same(rule, DiagnosticCatalog.Of(rule.Id));
        }
    }

    [Fact]
    public void Docs_diagnostics_md_has_a_section_per_id_saying_what_the_catalog_says()
    {
        string doc = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "diagnostics.md")).ReplaceLineEndings("\n");
        var headings = doc.Split('\n').Where(l => l.StartsWith("### BPF", StringComparison.Ordinal)).Select(l => l[4..]).ToList();
        Assert.Equal(DiagnosticCatalog.All.Select(r => r.Id), headings);
        foreach (var rule in DiagnosticCatalog.All)
        {
            int at = doc.IndexOf("### " + rule.Id + "\n", StringComparison.Ordinal);
            int end = doc.IndexOf("\n### ", at + 1, StringComparison.Ordinal);
            string section = end < 0 ? doc[at..] : doc[at..end];
            Assert.Contains("**" + rule.Title + "**", section, StringComparison.Ordinal);
            Assert.Contains(rule.Description, section, StringComparison.Ordinal);
            Assert.Contains("Source: " + rule.Origin, section, StringComparison.Ordinal);
            Assert.Contains("Fix: " + rule.Fix, section, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_unknown_id_gets_a_rule_instead_of_an_exception()
    {
        var rule = DiagnosticCatalog.Of("BPF9999");
        Assert.Equal("BPF9999", rule.Id);
        Assert.EndsWith("#bpf9999", rule.HelpUri, StringComparison.Ordinal);
    }
}
