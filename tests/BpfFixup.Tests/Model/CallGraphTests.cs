// SPDX-License-Identifier: MIT
using BpfFixup.Model;
using BpfFixup.Tests.Interop;

namespace BpfFixup.Tests.Model;

/// <summary>The kernel's subprogram numbering: libbpf's image order (bpf_object__reloc_code).</summary>
public sealed class CallGraphTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("bpffixup-cg-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [InteropTheory("llvm-mc-19")]
    [InlineData("bpfel")]
    [InlineData("bpfeb")]
    public void Image_order_is_depth_first_by_first_reference(string triple)
    {
        string source = Path.Combine(TestPaths.RepoRoot, "tests", "BpfFixup.Tests", "TestData", "Analysis", "image_order.s");
        string o = Path.Combine(temp, $"image_order-{triple}.o");
        ExternalTool.RunChecked("llvm-mc-19", ["-triple", triple, "-filetype=obj", source, "-o", o]);
        var obj = TestHelpers.Load(File.ReadAllBytes(o), "image_order.o");
        var graph = new CallGraph(obj);
        var program = obj.Programs.Single();
        Assert.Equal(["prog", "a", "c", "b", "d"], graph.ImageOrder(program).Select(f => f.Name));
        // Not the discovery order of Reachable, which visits all of prog's callees first.
        Assert.NotEqual(graph.ImageOrder(program).Select(f => f.Name), graph.Reachable(program).Select(f => f.Name));
    }
}
