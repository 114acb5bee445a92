using BpfFixup.Tests.TestKit;
namespace BpfFixup.Tests.Scratch;
public class DumpHostile
{
    [Fact]
    public void Dump()
    {
        Directory.CreateDirectory("/tmp/hl/obj");
        foreach (int n in new[] { 8, 9, 5000, 10000 }) File.WriteAllBytes($"/tmp/hl/obj/chain{n}.o", HostileObjects.CallChain(n));
        File.WriteAllBytes("/tmp/hl/obj/align30k.o", HostileObjects.AlignedSections(30_000, 65536));
        File.WriteAllBytes("/tmp/hl/obj/align34k.o", HostileObjects.AlignedSections(34_000, 65536));
    }
}
