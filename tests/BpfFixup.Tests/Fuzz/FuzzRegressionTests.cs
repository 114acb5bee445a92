// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Diff;
using BpfFixup.Fuzz;
using BpfFixup.Model;
using BpfFixup.Rewrite;
using BpfFixup.Snapshots;

namespace BpfFixup.Tests.Fuzz;

/// <summary>
/// Every input fuzz/run.sh found a crash with (TestData/Fuzz/*.hex, each with its cause in its comment lines),
/// replayed through the fuzz target, and the diagnostic each must now give.
/// </summary>
public sealed class FuzzRegressionTests
{
    private static string Dir => Path.Combine(AppContext.BaseDirectory, "TestData", "Fuzz");

    public static TheoryData<string> Inputs()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Dir, "*.hex").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    private static BpfObject Load(string name)
    {
        var bag = new DiagnosticBag();
        Assert.True(ObjectLoader.TryLoad(FuzzInput.Read(Path.Combine(Dir, name)), name, bag, out var obj), string.Join("\n", bag.Items));
        return obj!;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Every_saved_input_runs_through_every_entry_point(string name)
    {
        FuzzTarget.Run(FuzzInput.Read(Path.Combine(Dir, name)));
    }

    [Fact]
    public void The_seeds_run_through_every_entry_point()
    {
        foreach (var sample in TestPaths.AllSamples())
        {
            FuzzTarget.Run(File.ReadAllBytes(sample));
        }
    }

    [Fact]
    public void Instructions_that_are_not_elf_become_an_object_the_fixup_patches()
    {
        // The fuzz target's second input shape (fuzz/seeds.sh's stream-fsession.bin): flags 0x08, then
        // r6 = r1; r1 = r6; call bpf_session_cookie (call -1, off 0); call .text (off 2); exit | .text: r0 = 0; exit.
        byte[] input = Convert.FromHexString(
            "08" + "bf16000000000000" + "bf61000000000000" + "85100000ffffffff" + "85100200ffffffff" + "9500000000000000" +
            "b700000000000000" + "9500000000000000");
        Assert.False(StreamObject.IsElf(input));
        var bag = new DiagnosticBag();
        Assert.True(ObjectLoader.TryLoad(StreamObject.Build(input), "s.o", bag, out var obj), string.Join("\n", bag.Items));
        Assert.Equal(["prog", "sub"], obj!.Functions.Select(f => f.Name).Order(StringComparer.Ordinal));
        var outcome = FixupPipeline.Run(obj, new RewriteOptions());
        Assert.Equal(1, outcome.Rewrite!.Summary!.CookieInlined);
        FuzzTarget.Run(input);
    }

    [Fact]
    public void A_symbol_zero_that_names_a_section_is_refused()
    {
        const string name = "load-symbol-zero-defined.hex";
        var bag = new DiagnosticBag();
        Assert.False(ObjectLoader.TryLoad(FuzzInput.Read(Path.Combine(Dir, name)), name, bag, out _));
        var error = Assert.Single(bag.Items);
        Assert.Equal(DiagnosticIds.MalformedElf, error.Id);
        Assert.Contains("symbol 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("st_shndx 2: index 0 is STN_UNDEF and defines nothing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_programs_of_one_name_are_diffed_apart()
    {
        var obj = Load("diff-duplicate-program-key.hex");
        var listings = FixupDiff.Listings(obj, null, null);
        Assert.True(listings.Count > listings.Select(l => l.Key).Distinct(StringComparer.Ordinal).Count(), "the input has a repeated program key");

        var same = ListingDiff.Compare("a.o", listings, "b.o", listings);
        Assert.False(same.HasDifferences);
        Assert.Equal(listings.Count, same.Programs.Count);
        Assert.Equal(same.Programs.Count, same.Programs.Select(p => p.Key).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void A_call_relocated_into_a_program_section_is_refused_as_libbpf_does()
    {
        var obj = Load("check-call-relocated-into-program-section.hex");
        var analysis = ObjectAnalyzer.Analyze(obj);
        var error = Assert.Single(analysis.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(DiagnosticIds.BadCallTarget, error.Id);
        Assert.Equal("bad call relo against 'fsession/vfs_read' in section 'fsession/vfs_read': subprograms are in .text", error.Message);
        Assert.Null(FixupPipeline.Run(obj, new RewriteOptions()).Rewrite!.Output);
    }

    [Fact]
    public void A_btf_ext_relocation_on_no_record_is_an_error_not_a_broken_output()
    {
        var obj = Load("patch-btf-ext-stray-relocation.hex");
        var outcome = FixupPipeline.Run(obj, new RewriteOptions { KeepDebug = true });
        Assert.Null(outcome.Rewrite!.Output);
        var error = Assert.Single(outcome.Rewrite.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(DiagnosticIds.MalformedBtfExt, error.Id);
        Assert.Equal(".rel.BTF.ext", error.Section);
        Assert.Contains("is not the insn_off field of a .BTF.ext record", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_of_a_register_every_path_left_uninitialised_is_an_error()
    {
        var obj = Load("check-read-of-register-clobbered-by-call.hex");
        var verdict = FixupPipeline.Verify(obj, new RewriteOptions());
        var error = Assert.Single(verdict.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(DiagnosticIds.UninitRead, error.Id);
        Assert.Equal("R1 !read_ok", error.Message);
        Assert.Null(FixupPipeline.Run(obj, new RewriteOptions()).Rewrite!.Output);
    }
}
