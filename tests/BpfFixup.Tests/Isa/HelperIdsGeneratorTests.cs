// SPDX-License-Identifier: MIT
using BpfFixup.Isa;
using BpfFixup.Tests.Interop;
using BpfFixup.Tools;

namespace BpfFixup.Tests.Isa;

/// <summary>tools/gen-helper-ids regenerates the committed HelperIds.g.cs byte for byte, and reads both helper-list formats.</summary>
public sealed class HelperIdsGeneratorTests
{
    private const string HelperDefs = "/usr/include/bpf/bpf_helper_defs.h";
    private const string UapiBpfH = "/usr/include/linux/bpf.h";

    [HeaderFact(HelperDefs)]
    public void Regenerates_the_committed_file_from_libbpfs_bpf_helper_defs_h()
    {
        string committed = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "src", "BpfFixup", "Isa", "HelperIds.g.cs"));
        Assert.Equal(committed, HelperIdsGenerator.Generate(HeaderFactAttribute.Require(HelperDefs)));
    }

    [HeaderFact(UapiBpfH)]
    public void The_uapi_header_names_every_id_it_knows_as_the_committed_table_does()
    {
        var names = HelperIdsGenerator.Parse(File.ReadAllText(HeaderFactAttribute.Require(UapiBpfH)));
        Assert.True(names.Count > 200, $"{names.Count} helpers");
        Assert.True(names.Count <= HelperIds.Count, $"{UapiBpfH} knows {names.Count} ids, the table {HelperIds.Count}: regenerate it");
        for (int id = 1; id < names.Count; id++)
        {
            Assert.Equal(names[id], HelperIds.NameOf(id));
        }
    }

    [Fact]
    public void Reads_the_three_formats()
    {
        const string defs = """
            static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *) 1;
            static long (* const bpf_map_update_elem)(void *map, const void *key, const void *value, __u64 flags) = (void *) 2;
            """;
        const string mapper = "#define ___BPF_FUNC_MAPPER(FN, ctx...)\t\\\n\tFN(unspec, 0, ##ctx)\t\\\n\tFN(map_lookup_elem, 1, ##ctx)\t\\\n\tFN(map_update_elem, 2, ##ctx)\t\\\n\t/* */\n";
        const string positional = "#define __BPF_FUNC_MAPPER(FN)\t\t\\\n\tFN(unspec),\t\\\n\tFN(map_lookup_elem),\t\\\n\tFN(map_update_elem),\t\\\n\t/* */\n";
        string[] expected = ["bpf_unspec", "bpf_map_lookup_elem", "bpf_map_update_elem"];
        Assert.Equal(expected, HelperIdsGenerator.Parse(defs));
        Assert.Equal(expected, HelperIdsGenerator.Parse(mapper));
        Assert.Equal(expected, HelperIdsGenerator.Parse(positional));
    }

    [Theory]
    [InlineData("static long (*bpf_a)(void) = (void *) 1;\nstatic long (*bpf_c)(void) = (void *) 3;\n", "helper bpf_c has id 3, expected 2")]
    [InlineData("#define ___BPF_FUNC_MAPPER(FN, ctx...) \\\n\tFN(unspec, 0, ##ctx) \\\n\tFN(b, 2, ##ctx) \\\n", "helper bpf_b has id 2, expected 1")]
    [InlineData("int x;\n", "no helper list")]
    public void A_gap_or_no_list_is_an_error(string header, string message)
    {
        var e = Assert.Throws<FormatException>(() => HelperIdsGenerator.Parse(header));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_libbpfs_version()
    {
        Assert.Equal("1.1", HelperIdsGenerator.LibbpfVersion("#define LIBBPF_MAJOR_VERSION 1\n#define LIBBPF_MINOR_VERSION 1\n"));
        Assert.Null(HelperIdsGenerator.LibbpfVersion("#define LIBBPF_MAJOR_VERSION 1\n"));
    }
}

/// <summary>
/// A fact that reads a system header: skipped with "&lt;path&gt; not found" when it is missing, unless
/// BPFFIXUP_REQUIRE_INTEROP=1, in which case it runs and fails through <see cref="Require"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class HeaderFactAttribute : FactAttribute
{
    /// <summary>Declares the header the test reads.</summary>
    public HeaderFactAttribute(string path)
    {
        if (!ExternalTool.InteropRequired && !File.Exists(path))
        {
            Skip = $"{path} not found (apt-get install libbpf-dev)";
        }
    }

    /// <summary>The path of the header; throws a clear message when it is missing.</summary>
    public static string Require(string path) =>
        File.Exists(path) ? path : throw new InvalidOperationException(
            $"{path} not found, and {ExternalTool.RequireVariable}=1 requires the interop tests to run (apt-get install libbpf-dev)");
}
