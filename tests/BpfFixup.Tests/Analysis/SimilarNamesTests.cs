using BpfFixup.Analysis;
using BpfFixup.Btf;
using BpfFixup.Diagnostics;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Analysis;

public class SimilarNamesTests
{
    /// <summary>Every name of up to five of 'a', 'b' and '_', so that stems, prefixes and underscores meet in every way.</summary>
    private static List<string> Names()
    {
        var names = new List<string> { string.Empty };
        var all = new List<string>();
        for (int length = 1; length <= 5; length++)
        {
            names = [.. names.SelectMany(n => new[] { n + "a", n + "b", n + "_" })];
            all.AddRange(names);
        }

        return all;
    }

    /// <summary>The rule as a scan of every kernel function for one target: what the one pass must give.</summary>
    private static List<string> Reference(KernelBtf kernel, string target)
    {
        string stem = SimilarNames.Stem(target);
        return [.. kernel.Funcs
            .Select(k => k.Func.Name)
            .Where(n => n != target && (n == stem || n.EndsWith("_" + stem, StringComparison.Ordinal)) && !Sleepable.IsSyscallEntry(n) && !SimilarNames.IsGenerated(n))
            .OrderBy(n => n.StartsWith('_') ? 1 : 0)
            .ThenBy(n => n, StringComparer.Ordinal)];
    }

    [Fact]
    public void One_pass_finds_what_a_scan_per_target_finds()
    {
        var b = new KernelBtfBytes();
        int proto = b.Proto(b.Int("int", 4));
        var names = Names();
        foreach (string name in names)
        {
            b.Func(name, proto);
        }

        // Excluded however they end: syscall entry points and tracepoint stubs.
        b.Func("__x64_sys_ab", proto);
        b.Func("__traceiter_ab", proto);
        var kernel = KernelBtf.TryParse(b.Build(), "vmlinux", new DiagnosticBag())!;
        var targets = names.Concat(["do_ab", "__do_a_b", "_", "__", "do_"]).ToList();
        var similar = new SimilarNames(kernel, targets.Select(SimilarNames.Stem));
        int found = 0;
        foreach (string target in targets)
        {
            var expected = Reference(kernel, target);
            Assert.Equal(expected, similar.Similar(target).Select(k => k.Func.Name));
            found += expected.Count;
        }

        Assert.True(found > 1000, $"the names should give many matches, not {found}");
        // Plain names first, then by ordinal ('_' sorts before the letters).
        Assert.Equal(["a_ab", "ab", "b_ab", "__ab", "_ab"], similar.Similar("do_ab").Select(k => k.Func.Name).Where(n => n.Length <= 4));
    }

    [Fact]
    public void A_stem_not_asked_for_has_no_functions()
    {
        var b = new KernelBtfBytes();
        b.Func("x_unlinkat", b.Proto(b.Int("int", 4)));
        var kernel = KernelBtf.TryParse(b.Build(), "vmlinux", new DiagnosticBag())!;
        Assert.Empty(new SimilarNames(kernel, ["openat"]).Similar("do_unlinkat"));
        Assert.Equal(["x_unlinkat"], new SimilarNames(kernel, ["unlinkat"]).Similar("do_unlinkat").Select(k => k.Func.Name));
    }
}
