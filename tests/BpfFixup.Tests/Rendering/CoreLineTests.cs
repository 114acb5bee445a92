// SPDX-License-Identifier: MIT
using BpfFixup.Rendering;
using BpfFixup.Tests.Interop;

namespace BpfFixup.Tests.Rendering;

/// <summary>
/// The <c>CO-RE</c> lines of dump against those llvm-objdump-19 -dr printed (TestData/Rendering/core-regen.sh):
/// for the CO-RE samples (samples/obj/core) and for two crafted objects whose BTF holds every shape and failure
/// message of llvm/lib/DebugInfo/BTF/BTFParser.cpp <c>BTFParser::symbolize</c>. The pinned lines are compared
/// offline; the interop tests check that llvm-objdump-19 still prints them.
/// </summary>
public class CoreLineTests
{
    private static string DataPath(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "Rendering", name);

    private static string[] OurCoreLines(string path) =>
        new ListingWriter(new ListingOptions())
            .Render(TestHelpers.Load(File.ReadAllBytes(path), Path.GetFileName(path)))
            .Split('\n')
            .Where(l => l.Contains("CO-RE ", StringComparison.Ordinal))
            .ToArray();

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>core-samples.txt: "== name" then that object's CO-RE lines.</summary>
    private static Dictionary<string, string[]> PinnedSampleLines()
    {
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? name = null;
        var lines = new List<string>();
        foreach (string line in File.ReadAllLines(DataPath("core-samples.txt")))
        {
            if (line.StartsWith("== ", StringComparison.Ordinal))
            {
                if (name is not null)
                {
                    result[name] = [.. lines];
                }

                name = line[3..];
                lines.Clear();
            }
            else
            {
                lines.Add(line);
            }
        }

        if (name is not null)
        {
            result[name] = [.. lines];
        }

        return result;
    }

    [Theory]
    [InlineData("core-crafted-el.o")]
    [InlineData("core-crafted-eb.o")]
    public void Crafted_records_print_as_llvm_objdump_19_printed_them(string name)
    {
        var expected = Lines(File.ReadAllText(DataPath("core-crafted.txt")));
        Assert.Equal(46, expected.Length);
        Assert.Equal(expected, OurCoreLines(DataPath(name)));
    }

    [Theory]
    [MemberData(nameof(TestPaths.CoreSampleNames), MemberType = typeof(TestPaths))]
    public void Core_sample_lines_are_those_llvm_objdump_19_printed(string name)
    {
        var pinned = PinnedSampleLines();
        Assert.True(pinned.TryGetValue(name, out var expected), $"{name} has no lines in core-samples.txt: run core-regen.sh");
        Assert.NotEmpty(expected);
        Assert.Equal(expected, OurCoreLines(Path.Combine(TestPaths.SampleObjects, "core", name)));
    }

    [Fact]
    public void Every_core_sample_is_pinned_and_every_kind_appears()
    {
        var pinned = PinnedSampleLines();
        Assert.Equal(TestPaths.CoreSamples().Select(Path.GetFileName), pinned.Keys.Order(StringComparer.Ordinal));
        string all = string.Join('\n', pinned.Values.SelectMany(v => v));
        for (uint kind = 0; kind <= 12; kind++)
        {
            Assert.Contains("CO-RE <" + CoreReloKinds.NameOf(kind) + "> ", all, StringComparison.Ordinal);
        }

        // Array indices, anonymous members, typedefs, 32- and 64-bit enumerators as the samples' README lists them.
        Assert.Contains("struct trace_event_raw_sys_enter::args[1] (0:2:1)", all, StringComparison.Ordinal);
        Assert.Contains("struct sock::__sk_common.<anon 1>.<anon 1>.skc_dport (0:0:1:1:0)", all, StringComparison.Ordinal);
        Assert.Contains("typedef task_t::tgid (0:3)", all, StringComparison.Ordinal);
        Assert.Contains("enum sock_err_core::SOCK_ERR_AGAIN = -11", all, StringComparison.Ordinal);
        Assert.Contains("enum cgroup_bits_core::CG_BIT_ALL = 18446744073709551615", all, StringComparison.Ordinal);
    }

    [InteropFact("llvm-objdump-19")]
    public void The_pinned_lines_are_what_llvm_objdump_19_prints()
    {
        foreach (string name in new[] { "core-crafted-el.o", "core-crafted-eb.o" })
        {
            string objdump = ExternalTool.RunChecked("llvm-objdump-19", ["-dr", DataPath(name)]);
            var printed = Lines(objdump).Where(l => l.Contains("CO-RE ", StringComparison.Ordinal));
            Assert.Equal(Lines(File.ReadAllText(DataPath("core-crafted.txt"))), printed);

            // The whole listing too (the crafted objects have no program sections, so no annotations of ours).
            string ours = new ListingWriter(new ListingOptions()).Render(TestHelpers.Load(File.ReadAllBytes(DataPath(name)), DataPath(name)));
            Assert.Equal(objdump, ours);
        }

        var pinned = PinnedSampleLines();
        foreach (string path in TestPaths.CoreSamples())
        {
            var printed = Lines(ExternalTool.RunChecked("llvm-objdump-19", ["-dr", path])).Where(l => l.Contains("CO-RE ", StringComparison.Ordinal));
            Assert.Equal(pinned[Path.GetFileName(path)], printed);
        }
    }
}
