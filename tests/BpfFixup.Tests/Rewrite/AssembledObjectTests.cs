// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Rewrite;
using BpfFixup.Tests.Interop;

namespace BpfFixup.Tests.Rewrite;

/// <summary>
/// Hand-written objects assembled by llvm-mc-19 (TestData/Rewrite/*.s), one per position-encoding kind and per
/// rejection rule. Patched outputs are disassembled by llvm-objdump-19 and compared with the reviewed listing
/// <c>&lt;name&gt;.expected.txt</c>; both LLVM tools must read every patched output without a warning.
/// Set BPFFIXUP_REGEN_EXPECTED=1 to rewrite the listings (then review them by hand).
/// </summary>
public sealed class AssembledObjectTests : IDisposable
{
    private const string Mc = "llvm-mc-19";
    private const string Objdump = "llvm-objdump-19";
    private const string Readelf = "llvm-readelf-19";

    private readonly string temp = Directory.CreateTempSubdirectory("bpffixup-asm-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    public static TheoryData<string> Patched => new() { "jumps", "gotol", "callback", "subprogs", "shared", "spill" };

    [InteropTheory(Mc, Objdump, Readelf)]
    [MemberData(nameof(Patched))]
    public void Patched_object_disassembles_to_the_reviewed_listing(string name)
    {
        var (le, leOut) = Patch(name, "bpfel");
        string actual = Disassemble(leOut, name);
        string expectedPath = Path.Combine(TestPaths.RepoRoot, "tests", "BpfFixup.Tests", "TestData", "Rewrite", name + ".expected.txt");
        if (Environment.GetEnvironmentVariable("BPFFIXUP_REGEN_EXPECTED") == "1")
        {
            File.WriteAllText(expectedPath, actual);
        }

        Assert.Equal(File.ReadAllText(expectedPath), actual);
        Assert.False(le.HasErrors);

        // The big-endian object patches to the same instructions.
        var (_, beOut) = Patch(name, "bpfeb");
        var a = TestHelpers.Load(File.ReadAllBytes(leOut), "le");
        var b = TestHelpers.Load(File.ReadAllBytes(beOut), "be");
        Assert.Equal(a.CodeSections.Select(c => (c.Name, string.Join(";", c.Instructions))), b.CodeSections.Select(c => (c.Name, string.Join(";", c.Instructions))));
        Assert.Equal(a.Elf.Symbols.Select(s => (s.Name, s.Value, s.Size)), b.Elf.Symbols.Select(s => (s.Name, s.Value, s.Size)));
    }

    [InteropFact(Mc, Objdump, Readelf)]
    public void Jumps_verdicts_and_summary()
    {
        var (r, _) = Patch("jumps", "bpfel");
        Assert.Equal(["fsession/vfs_read:4 bpf_session_is_return Inline", "fsession/vfs_read:9 bpf_session_cookie Inline"], Verdicts(r));
        Assert.Equal((1, 1, 0), (r.Summary!.IsReturnInlined, r.Summary.CookieInlined, r.Summary.Kept));
        Assert.Equal((17, 24), (r.Summary.SlotsBefore, r.Summary.SlotsAfter));
    }

    [InteropFact(Mc, Objdump, Readelf)]
    public void Callback_and_subprograms_are_inlined_in_place()
    {
        var (cb, _) = Patch("callback", "bpfel");
        Assert.Equal(["fsession/vfs_read:2 bpf_session_is_return Inline", "fsession/vfs_read:9 bpf_session_cookie Inline"], Verdicts(cb));
        var (sub, _) = Patch("subprogs", "bpfel");
        Assert.Equal([".text:0 bpf_session_is_return Inline", ".text:10 bpf_session_cookie Inline", "fsession/vfs_read:5 bpf_session_is_return Inline"], Verdicts(sub));
        Assert.Empty(sub.Summary!.Specialised);
    }

    [InteropFact(Mc, Objdump, Readelf)]
    public void Shared_subprogram_is_specialised_and_kprobe_sites_are_kept()
    {
        var (r, _) = Patch("shared", "bpfel");
        Assert.Equal(
            [".text:0 bpf_session_is_return Inline", "fsession/vfs_read:3 bpf_session_cookie Inline", ".text:0 bpf_session_is_return Keep", "kprobe.session/vfs_read:3 bpf_session_cookie Keep"],
            Verdicts(r));
        Assert.Equal([("mark", "mark__fsession")], r.Summary!.Specialised);
        // is_return inlined once (in the copy), cookie once (fs); kept: mark's own call and kp's cookie.
        Assert.Equal((1, 1, 2), (r.Summary.IsReturnInlined, r.Summary.CookieInlined, r.Summary.Kept));
    }

    [InteropFact(Mc, Objdump, Readelf)]
    public void Spilled_ctx_is_tracked_through_the_stack()
    {
        var (r, _) = Patch("spill", "bpfel");
        Assert.Equal(["fsession/vfs_read:3 bpf_session_is_return Inline", "fsession/vfs_read:6 bpf_session_cookie Inline"], Verdicts(r));
    }

    public static TheoryData<string, string, string> Rejected => new()
    {
        { "ctx_plus8", DiagnosticIds.ModifiedCtx, "dereference of modified ctx ptr R1 off=8 disallowed" },
        { "map_value", DiagnosticIds.ArgNotCtx, "R1 expected pointer to ctx, but got map_value" },
        { "stack_ptr", DiagnosticIds.ArgNotCtx, "R1 expected pointer to ctx, but got fp" },
        { "oldproto", DiagnosticIds.CtxNotInitialised, "R1 !read_ok" },
        { "callback_site", DiagnosticIds.ArgNotCtx, "R1 expected pointer to ctx, but got scalar" },
        { "fentry_fexit", DiagnosticIds.KfuncNotAllowed, "calling kernel function bpf_session_is_return is not allowed|calling kernel function bpf_session_cookie is not allowed" },
    };

    [InteropTheory(Mc)]
    [MemberData(nameof(Rejected))]
    public void Invalid_argument_or_program_type_is_rejected_with_the_kernel_wording(string name, string id, string messages)
    {
        foreach (string triple in new[] { "bpfel", "bpfeb" })
        {
            var obj = TestHelpers.Load(Assemble(name, triple), name + ".o");
            var result = ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(obj), new RewriteOptions());
            Assert.Null(result.Output);
            var errors = result.Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
            Assert.Equal(messages.Split('|'), errors.Select(e => e.Message));
            Assert.All(errors, e => Assert.Equal(id, e.Id));
            Assert.All(result.Analysis.Verdicts, v => Assert.Equal(SiteAction.Reject, v.Action));
        }
    }

    [InteropFact(Mc, Objdump, Readelf)]
    public void Patch_v9_abi_changes_only_the_shifts()
    {
        var obj = TestHelpers.Load(Assemble("jumps", "bpfel"), "jumps.o");
        var a = ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(obj), new RewriteOptions());
        var b = ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(obj), new RewriteOptions { Abi = KernelAbi.Find("patch-v9")! });
        var ia = TestHelpers.Load(a.Output!, "a").CodeSections.Single(c => c.Name == "fsession/vfs_read").Instructions;
        var ib = TestHelpers.Load(b.Output!, "b").CodeSections.Single(c => c.Name == "fsession/vfs_read").Instructions;
        var diff = ia.Zip(ib).Select((p, i) => (p, i)).Where(x => x.p.First != x.p.Second).Select(x => (x.i, x.p.First.Imm, x.p.Second.Imm)).ToList();
        Assert.Equal([(5, 63, 8), (12, 8, 9)], diff);
    }

    // ---------------------------------------------------------------- helpers

    private byte[] Assemble(string name, string triple)
    {
        string source = Path.Combine(TestPaths.RepoRoot, "tests", "BpfFixup.Tests", "TestData", "Rewrite", name + ".s");
        string obj = Path.Combine(temp, $"{name}-{triple}.o");
        ExternalTool.RunChecked(Mc, ["-triple", triple, "-mcpu=v4", "-filetype=obj", source, "-o", obj]);
        return File.ReadAllBytes(obj);
    }

    /// <summary>Assembles, analyses and patches; writes the output; checks that the LLVM tools read it cleanly.</summary>
    private (RewriteResult Result, string Output) Patch(string name, string triple)
    {
        var obj = TestHelpers.Load(Assemble(name, triple), name + ".o");
        var result = ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(obj), new RewriteOptions());
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.NotNull(result.Output);
        Assert.False(result.Summary!.Unchanged);
        string output = Path.Combine(temp, $"{name}-{triple}.patched.o");
        File.WriteAllBytes(output, result.Output!);
        AssertClean(Objdump, ["-dr", output]);
        AssertClean(Readelf, ["-a", output]);
        var reloaded = TestHelpers.Load(result.Output!, output);
        Assert.Empty(reloaded.Diagnostics);
        return (result, output);
    }

    private static void AssertClean(string tool, string[] args)
    {
        var r = ExternalTool.Run(tool, args);
        Assert.True(r.ExitCode == 0 && r.Stderr.Length == 0, $"{tool} {string.Join(' ', args)} exited {r.ExitCode}: {r.Stderr}");
    }

    /// <summary>llvm-objdump-19 -dr (relocations pinned too) without the first lines naming the temporary file.</summary>
    private static string Disassemble(string path, string name)
    {
        string text = ExternalTool.RunChecked(Objdump, ["-dr", path]);
        var lines = text.Replace(path, name + ".patched.o", StringComparison.Ordinal).Split('\n');
        var sb = new StringBuilder();
        foreach (string line in lines.SkipWhile(l => !l.StartsWith("Disassembly", StringComparison.Ordinal)))
        {
            sb.Append(line.TrimEnd()).Append('\n');
        }

        return sb.ToString().TrimEnd('\n') + "\n";
    }

    private static List<string> Verdicts(RewriteResult r) =>
        r.Analysis.Verdicts.Select(v => $"{v.Site.Section.Name}:{v.Site.Insn} {v.Site.Kfunc switch { BpfFixup.Model.SessionKfunc.Cookie => "bpf_session_cookie", _ => "bpf_session_is_return" }} {v.Action}").ToList();
}
