// SPDX-License-Identifier: MIT
using BpfFixup.Model;
using BpfFixup.Tests.Interop;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Model;

/// <summary>The kernel's subprogram numbering: libbpf's image order (bpf_object__reloc_code).</summary>
public class CallGraphTests
{
    [InteropTheory("llvm-mc-19")]
    [InlineData("bpfel")]
    [InlineData("bpfeb")]
    public void Image_order_is_depth_first_by_first_reference(string triple)
    {
        var obj = TestHelpers.Load(Asm.AssembleAnalysisSource("image_order", triple), "image_order.o");
        var graph = new CallGraph(obj);
        var program = obj.Programs.Single();
        Assert.Equal(["prog", "a", "c", "b", "d"], graph.ImageOrder(program).Select(f => f.Name));
        // Not the discovery order of Reachable, which visits all of prog's callees first.
        Assert.NotEqual(graph.ImageOrder(program).Select(f => f.Name), graph.Reachable(program).Select(f => f.Name));
    }
}
