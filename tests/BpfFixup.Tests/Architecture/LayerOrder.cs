// SPDX-License-Identifier: MIT
namespace BpfFixup.Tests.Architecture;

/// <summary>One namespace's use of another, with where it was seen (a file or a type).</summary>
/// <param name="From">The namespace that uses.</param>
/// <param name="To">The namespace used.</param>
/// <param name="Where">The file or type the use was seen in.</param>
internal sealed record NamespaceEdge(string From, string To, string Where);

/// <summary>
/// The project's layers, lowest first: a namespace may use only its own layer and the layers below it
/// (README "Layout": Elf → Isa → Btf → Model → Analysis → Rewrite → Rendering/Snapshots/Diff → Cli, under them the
/// shared Text, Diagnostics and IO). A layer is a list of exact namespaces; a namespace in no layer is an error, so a
/// new one is placed on purpose.
/// </summary>
internal static class LayerOrder
{
    /// <summary>The layers, lowest first; each is a set of namespaces that may use one another.</summary>
    public static readonly IReadOnlyList<string[]> Layers =
    [
        ["BpfFixup.Text"],
        ["BpfFixup.Diagnostics"],
        ["BpfFixup.IO"],
        ["BpfFixup.Elf"],
        ["BpfFixup.Isa"],
        ["BpfFixup.Btf"],
        ["BpfFixup.Model"],
        ["BpfFixup.Analysis"],
        ["BpfFixup.Rewrite"],
        // Rendering.Json holds the JSON documents' shapes and their source-generated contexts; Rendering fills them.
        ["BpfFixup.Rendering.Json"],
        // Rendering.Sarif writes the SARIF log from Rendering.Json's shapes; CheckReport (Rendering) calls it.
        ["BpfFixup.Rendering.Sarif"],
        ["BpfFixup.Rendering"],
        ["BpfFixup.Diff"],
        ["BpfFixup.Snapshots"],
        // The orchestration (FixupPipeline: load, analyse, rewrite, self-check) above the layers it calls.
        ["BpfFixup.Pipeline"],
        // The thin CLI: the root command and its commands are one layer.
        ["BpfFixup.Cli", "BpfFixup.Cli.Commands"],
    ];

    /// <summary>The layer index of <paramref name="ns"/>, or -1 when it is in no layer.</summary>
    public static int LayerOf(string ns)
    {
        for (int i = 0; i < Layers.Count; i++)
        {
            if (Array.IndexOf(Layers[i], ns) >= 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Every edge against the order, one line each (<c>From → To (where)</c>), sorted: an edge to a higher layer,
    /// and an edge from or to a namespace in no layer.
    /// </summary>
    public static IReadOnlyList<string> Violations(IEnumerable<NamespaceEdge> edges)
    {
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var e in edges)
        {
            if (e.From == e.To)
            {
                continue;
            }

            int from = LayerOf(e.From), to = LayerOf(e.To);
            if (from < 0 || to < 0)
            {
                lines.Add($"{e.From} → {e.To} ({e.Where}): {(from < 0 ? e.From : e.To)} is in no layer of LayerOrder");
            }
            else if (to > from)
            {
                lines.Add($"{e.From} → {e.To} ({e.Where}): points up the layers");
            }
        }

        return [.. lines];
    }
}
