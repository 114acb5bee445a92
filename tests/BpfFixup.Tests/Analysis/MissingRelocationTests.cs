// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Elf;

namespace BpfFixup.Tests.Analysis;

/// <summary>A kfunc call whose relocation was dropped passes llvm-objdump-19, llvm-readelf-19, bpftool and libbpf 1.1 (run on such a copy); not this one.</summary>
public class MissingRelocationTests
{
    [Fact]
    public void Call_minus_one_without_relocation_is_an_error()
    {
        var bag = new DiagnosticBag();
        Assert.True(ElfReader.TryRead(File.ReadAllBytes(TestPaths.Sample("session_basic-el.o")), "x.o", bag, out var elf));
        var rel = elf!.FindSection(".relfsession/do_unlinkat")!;
        var entries = elf.GetRelocations(rel).ToList();
        int cookie = entries.FindIndex(e => elf.Symbols[(int)e.SymbolIndex].Name == "bpf_session_cookie");
        ulong offset = entries[cookie].Offset;
        entries.RemoveAt(cookie);
        elf.SetRelocations(rel, [.. entries]);

        var result = ObjectAnalyzer.Analyze(TestHelpers.Load(ElfWriter.Write(elf), "x.o"));
        var d = Assert.Single(result.Diagnostics, d => d.Id == DiagnosticIds.BadCallTarget);
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal((int)(offset / 8), d.Index);
        Assert.Equal("call -1 without a relocation: a kfunc or global-function call whose R_BPF_64_32 relocation is missing", d.Message);
    }
}
