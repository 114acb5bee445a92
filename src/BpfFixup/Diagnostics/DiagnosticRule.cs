// SPDX-License-Identifier: MIT
namespace BpfFixup.Diagnostics;

/// <summary>What one diagnostic id means: the text of docs/diagnostics.md and of SARIF's reportingDescriptor.</summary>
/// <param name="Id">The stable id (<see cref="DiagnosticIds"/>).</param>
/// <param name="Name">A Pascal-case friendly name (SARIF §3.49.7 reportingDescriptor.name).</param>
/// <param name="Title">One line: what is wrong.</param>
/// <param name="Description">What the finding means, and why the kernel (or libbpf, or this tool) refuses or warns.</param>
/// <param name="Origin">The kernel or libbpf function whose check this mirrors, or "bpffixup" for this tool's own.</param>
/// <param name="Fix">How to fix it.</param>
public sealed record DiagnosticRule(string Id, string Name, string Title, string Description, string Origin, string Fix)
{
    /// <summary>The anchor of this id in docs/diagnostics.md: the id in lower case (the heading <c>### BPF3011</c>).</summary>
    public string Anchor => Id.ToLowerInvariant();

    /// <summary>The documentation page of this id.</summary>
    public string HelpUri => ProjectLinks.DiagnosticsPage + "#" + Anchor;

    /// <summary>Plain-text help: the description, where the check comes from, and the fix.</summary>
    public string HelpText => $"{Description} Source: {Origin}. Fix: {Fix}";

    /// <summary>Markdown help (GitHub renders it in the alert): the same, with a link to the page.</summary>
    public string HelpMarkdown =>
        $"**{Id}: {Title}**\n\n{Description}\n\n**Source:** {Origin}\n\n**Fix:** {Fix}\n\nSee [{Id}]({HelpUri}).";
}
