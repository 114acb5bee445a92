// SPDX-License-Identifier: MIT
using BpfFixup.Elf;
using BpfFixup.Rewrite;
using BpfFixup.Tests.Interop;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Rewrite;

/// <summary>
/// The fsession copy of a global subprogram is a LOCAL FUNC symbol whose func_info keeps the original's global BTF
/// FUNC. That is what libbpf and the kernel do with it: the kernel takes a subprogram's linkage from BTF alone
/// (check_btf_func, btf_func linkage), so the copy is verified as a global function, as the original is in each
/// program libbpf appends it to; and libbpf's linker looks up a BTF FUNC by name only for a GLOBAL symbol
/// (find_glob_sym_btf: "failed to find BTF info for global/extern symbol"), which a copy's new name has none of.
/// </summary>
public sealed class GlobalCopyInteropTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [InteropFact("clang-19", "bpftool")]
    public void A_global_functions_copy_is_local_and_libbpf_links_it()
    {
        string c = Path.Combine(AppContext.BaseDirectory, "TestData", "Rewrite", "global_shared.bpf.c");
        string o = dir.File("global_shared.o");
        ExternalTool.RunChecked("clang-19", ["-O2", "-g", "-target", "bpfel", "-I/usr/include/x86_64-linux-gnu", "-I/usr/include", "-c", c, "-o", o]);
        var outcome = FixupPipeline.Run(TestHelpers.Load(File.ReadAllBytes(o), "global_shared.o"), new RewriteOptions());
        var patched = outcome.Patched!;
        var original = Assert.Single(patched.Elf.Symbols, s => s.Name == "tagged_is_exit");
        var copy = Assert.Single(patched.Elf.Symbols, s => s.Name == "tagged_is_exit__fsession");
        Assert.Equal(ElfConstants.StbGlobal, original.Binding);
        Assert.Equal((ElfConstants.StbLocal, ElfConstants.SttFunc), (copy.Binding, copy.Type));

        // The copy's func_info names the original's BTF FUNC, whose linkage stays global.
        var records = patched.BtfExt!.FuncInfo.Sections.Single(s => s.SectionName == ".text").Records;
        Assert.Equal(2, records.Count);
        Assert.Single(records.Select(r => Convert.ToHexString(r.Rest)).Distinct()); // type_id, the record's second field

        string output = dir.File("patched.o");
        File.WriteAllBytes(output, outcome.Rewrite!.Output!);
        var link = ExternalTool.Run("bpftool", ["gen", "object", dir.File("linked.o"), output]);
        Assert.True(link.ExitCode == 0, $"bpftool gen object exited {link.ExitCode}: {link.Stderr}");
    }
}
