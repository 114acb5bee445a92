// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Rewrite;

namespace BpfFixup.Tests.Rewrite;

public class SamplePatchTests
{
    public static TheoryData<string> GoodSamples => new()
    {
        "session_basic-el.o", "session_basic-eb.o", "session_basic-el-v4.o", "session_basic-eb-v4.o", "session_basic-linked.o",
        "session_subprog-el.o", "session_subprog-eb.o", "session_subprog-el-v4.o", "session_subprog-eb-v4.o", "session_subprog-linked.o",
        "session_asm-el.o", "session_asm-eb.o", "session_kprobe-el.o", "no_session-el.o",
        "session_basic-el-clang22.o", "session_basic-eb-clang22.o", "session_subprog-el-clang22.o", "session_subprog-eb-clang22.o",
        "session_asm-el-clang22.o", "session_asm-eb-clang22.o", "session_multi-el.o", "session_multi-eb.o",
    };

    [Theory]
    [InlineData("session_multi-el.o")]
    [InlineData("session_multi-eb.o")]
    public void Fsession_multi_calls_are_inlined_with_the_fsession_bytes(string name)
    {
        // Linux 7.2 inlines them with the same sequences (the kernel tier, Kernel/KernelTierTests.cs): multi_exit is "call is_return" at insn 0.
        var result = ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(TestHelpers.LoadSample(name)), new RewriteOptions());
        Assert.Equal(3, result.Analysis.Verdicts.Count(v => v.Action == SiteAction.Inline));
        var code = TestHelpers.Load(result.Output!, name).CodeSections.Single(c => c.Name == "fsession.multi/bpf_fentry_test1").Instructions;
        Assert.Equal(KernelAbi.Default.IsReturn.Instructions, code.Take(3));
    }

    [Theory]
    [MemberData(nameof(GoodSamples))]
    public void Patched_sample_reloads_with_no_fsession_calls_left(string name)
    {
        var obj = TestHelpers.LoadSample(name);
        var result = ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(obj), new RewriteOptions());
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.NotNull(result.Output);
        var patched = TestHelpers.Load(result.Output!, name);
        var again = ObjectAnalyzer.Analyze(patched);
        Assert.False(again.HasErrors, string.Join("\n", again.Diagnostics));
        Assert.DoesNotContain(again.Verdicts, v => v.Action == SiteAction.Inline);
        int keptBefore = ObjectAnalyzer.Analyze(obj).Verdicts.Count(v => v.Action == SiteAction.Keep);
        Assert.Equal(keptBefore, again.Verdicts.Count(v => v.Action == SiteAction.Keep));
        Assert.Equal(obj.Programs.Select(p => p.Name), patched.Programs.Select(p => p.Name));
    }

    [Theory]
    [MemberData(nameof(GoodSamples))]
    public void Patch_is_deterministic(string name)
    {
        var bytes = File.ReadAllBytes(TestPaths.Sample(name));
        var first = ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(TestHelpers.Load(bytes, name)), new RewriteOptions());
        var second = ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(TestHelpers.Load((byte[])bytes.Clone(), "elsewhere/" + name)), new RewriteOptions());
        Assert.Equal(first.Output, second.Output);
        Assert.Equal(first.Summary!.Describe("x"), second.Summary!.Describe("x"));
    }

    [Theory]
    [InlineData("session_subprog-el.o")]
    [InlineData("session_subprog-linked.o")]
    public void Copies_symbols_are_locals_and_the_null_symbol_stays_first(string name)
    {
        var obj = TestHelpers.LoadSample(name);
        uint infoBefore = obj.Elf.SymbolTable!.Info;
        var result = ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(obj), new RewriteOptions());
        var patched = TestHelpers.Load(result.Output!, name);
        var symbols = patched.Elf.Symbols;
        Assert.Equal(string.Empty, symbols[0].Name);
        Assert.Equal(0, symbols[0].Info);
        var copies = symbols.Select((s, i) => (s, i)).Where(x => x.s.Name.EndsWith("__fsession", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, copies.Count);
        Assert.All(copies, c => Assert.Equal(BpfFixup.Elf.ElfConstants.StbLocal, c.s.Binding));
        uint infoAfter = patched.Elf.SymbolTable!.Info;
        if (infoBefore == 0)
        {
            // libbpf-linked: sh_info 0, locals and globals mixed; the copies are appended.
            Assert.Equal(0u, infoAfter);
            Assert.All(copies, c => Assert.True(c.i >= symbols.Count - 2));
        }
        else
        {
            // gABI: locals first, sh_info the first non-local.
            Assert.All(copies, c => Assert.True(c.i < infoAfter));
            Assert.All(symbols.Take((int)infoAfter), s => Assert.Equal(BpfFixup.Elf.ElfConstants.StbLocal, s.Binding));
            Assert.All(symbols.Skip((int)infoAfter), s => Assert.NotEqual(BpfFixup.Elf.ElfConstants.StbLocal, s.Binding));
        }
    }

    [Fact]
    public void Object_without_inline_sites_is_written_back_byte_identical()
    {
        foreach (var name in new[] { "session_kprobe-el.o", "no_session-el.o", "no_session-eb.o" })
        {
            var bytes = File.ReadAllBytes(TestPaths.Sample(name));
            var result = ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(TestHelpers.Load(bytes, name)), new RewriteOptions());
            Assert.Equal(bytes, result.Output);
            Assert.True(result.Summary!.Unchanged);
        }
    }

    [Fact]
    public void Rejected_sample_is_not_written()
    {
        var result = ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(TestHelpers.LoadSample("session_bad-el.o")), new RewriteOptions());
        Assert.True(result.HasErrors);
        Assert.Null(result.Output);
    }
}
