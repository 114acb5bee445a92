// SPDX-License-Identifier: MIT
using BpfFixup.Cli;
using BpfFixup.Model;

namespace BpfFixup.Tests.Architecture;

/// <summary>
/// Dependencies point one way (<see cref="LayerOrder"/>): no source file names, and no compiled type uses, a namespace
/// of a higher layer or of no layer.
/// </summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void Every_namespace_declared_in_src_has_a_layer()
    {
        var unplaced = SourceReferences.SourceFiles(TestPaths.RepoRoot)
            .Select(f => (File: Path.GetRelativePath(TestPaths.RepoRoot, f), Namespace: SourceReferences.DeclaredNamespace(File.ReadAllText(f))))
            .Where(f => f.Namespace is null || LayerOrder.LayerOf(f.Namespace) < 0)
            .Select(f => $"{f.File}: {f.Namespace ?? "(no namespace)"}")
            .ToList();
        Assert.True(unplaced.Count == 0, "namespaces in no layer of LayerOrder:\n" + string.Join("\n", unplaced));
    }

    [Fact]
    public void Source_files_name_no_namespace_above_their_own()
    {
        var edges = SourceReferences.Edges(TestPaths.RepoRoot);
        Assert.NotEmpty(edges);
        var violations = LayerOrder.Violations(edges);
        Assert.True(violations.Count == 0, "edges against the layer order:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Compiled_library_types_use_no_namespace_above_their_own() => AssertMetadataFollowsTheOrder(typeof(BpfObject).Assembly.Location);

    [Fact]
    public void Compiled_cli_types_use_no_namespace_above_their_own() => AssertMetadataFollowsTheOrder(typeof(CliApp).Assembly.Location);

    [Fact]
    public void No_file_cites_the_notes_kept_outside_the_repository()
    {
        // Citations name primary sources (kernel functions and files, RFC 9669 sections, LLVM and libbpf files): the
        // facts notes the project was started from are not in the repository, so a reader cannot follow them.
        string[] notes = ["kernel-" + "fsession", "kernel-" + "lab", "bpf-object-" + "facts", "anchors " + "§", "anchors" + ".md"];
        var hits = new List<string>();
        foreach (string folder in new[] { "src", "tests", "tools", "fuzz", "bench", "docs" })
        {
            string dir = Path.Combine(TestPaths.RepoRoot, folder);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (string file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            {
                string rel = Path.GetRelativePath(TestPaths.RepoRoot, file);
                if (rel.Split(Path.DirectorySeparatorChar).Any(p => p is "obj" or "bin") || Path.GetExtension(file) is not (".cs" or ".sh" or ".s" or ".c" or ".md" or ".csproj"))
                {
                    continue;
                }

                string text = File.ReadAllText(file);
                hits.AddRange(notes.Where(n => text.Contains(n, StringComparison.Ordinal)).Select(n => $"{rel}: {n}"));
            }
        }

        Assert.True(hits.Count == 0, "cite the primary source instead:\n" + string.Join("\n", hits));
    }

    [Fact]
    public void An_edge_up_the_layers_is_reported()
    {
        var violations = LayerOrder.Violations(
        [
            new NamespaceEdge("BpfFixup.Isa", "BpfFixup.Elf", "down, allowed"),
            new NamespaceEdge("BpfFixup.Elf", "BpfFixup.Isa", "x.cs"),
            new NamespaceEdge("BpfFixup.Rendering", "BpfFixup.Rendering", "same namespace"),
            new NamespaceEdge("BpfFixup.Cli", "BpfFixup.Cli.Commands", "same layer"),
            new NamespaceEdge("BpfFixup.Model", "BpfFixup.Pipeline", "y.cs"),
            new NamespaceEdge("BpfFixup.Model", "BpfFixup.Nowhere", "z.cs"),
        ]);
        Assert.Equal(
        [
            "BpfFixup.Elf → BpfFixup.Isa (x.cs): points up the layers",
            "BpfFixup.Model → BpfFixup.Nowhere (z.cs): BpfFixup.Nowhere is in no layer of LayerOrder",
            "BpfFixup.Model → BpfFixup.Pipeline (y.cs): points up the layers",
        ], violations);
    }

    [Fact]
    public void The_source_scan_sees_usings_and_qualified_names_but_not_comments_or_strings()
    {
        var declared = new HashSet<string>(StringComparer.Ordinal) { "BpfFixup.Elf", "BpfFixup.Isa", "BpfFixup.Rewrite", "BpfFixup.Model", "BpfFixup.Btf", "BpfFixup.Diff" };
        const string text = """
            using BpfFixup.Isa;
            using static BpfFixup.Model.SomeType;
            namespace BpfFixup.Elf;
            // BpfFixup.Btf.Nothing in a comment
            /* BpfFixup.Btf.X */ class C { string s = "BpfFixup.Diff.NotCode // x"; object o = BpfFixup.Rewrite.Real.Value; }
            """;
        var to = SourceReferences.EdgesOf(text, "c.cs", declared).Select(e => e.To).Distinct().ToList();
        Assert.Equal(["BpfFixup.Isa", "BpfFixup.Model", "BpfFixup.Rewrite"], to);
    }

    private static void AssertMetadataFollowsTheOrder(string assembly)
    {
        var edges = MetadataReferences.Edges(assembly, "BpfFixup.");
        Assert.NotEmpty(edges);
        var violations = LayerOrder.Violations(edges);
        Assert.True(violations.Count == 0, $"edges against the layer order in {Path.GetFileName(assembly)}:\n" + string.Join("\n", violations));
    }
}
