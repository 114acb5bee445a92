// SPDX-License-Identifier: MIT
using System.Text.Json;
using BpfFixup.Elf;
using BpfFixup.Model;
using BpfFixup.Tests.TestKit;
using static BpfFixup.Tests.TestKit.CliRun;

namespace BpfFixup.Tests.Cli;

public sealed class PatchCommandTests : IDisposable
{
    private const string BasicSummary = "inlined 5 session call(s) (3 bpf_session_is_return, 2 bpf_session_cookie) for linux-7.0; kept 0; dropped 15 stale DWARF section(s); 203 -> 219 slots";

    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private static BpfObject Reload(string path) => TestHelpers.Load(File.ReadAllBytes(path), Path.GetFileName(path));

    [Fact]
    public void Output_option_writes_an_object_that_reloads_and_leaves_the_input_alone()
    {
        string input = CopySample(dir, "session_basic-el.o");
        byte[] before = File.ReadAllBytes(input);
        string output = dir.File("patched.o");
        var r = Run("patch", input, "-o", output);
        Assert.Equal(0, r.Code);
        Assert.Equal(string.Empty, r.Err);
        Assert.Equal([$"{input}: {BasicSummary} -> {output}"], r.OutLines);

        Assert.Equal(before, File.ReadAllBytes(input));
        Assert.Equal(["patched.o", "session_basic-el.o"], dir.Names()); // no temp file left behind
        var patched = Reload(output);
        Assert.Empty(patched.SessionCallSites);
        Assert.Equal(5, patched.Programs.Count);
        Assert.DoesNotContain(patched.Elf.Sections, s => s.Name.StartsWith(".debug_", StringComparison.Ordinal));

        // The patched object has nothing left to inline: check is clean, and a second patch writes it back unchanged.
        var again = Run("patch", output, "-o", dir.File("twice.o"));
        Assert.Equal(0, again.Code);
        Assert.Equal(File.ReadAllBytes(output), File.ReadAllBytes(dir.File("twice.o")));
        Assert.Contains("nothing to inline; written unchanged (0 session call(s) kept)", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_writes_the_same_bytes_after_loading_them_again()
    {
        string input = CopySample(dir, "session_basic-el.o");
        var plain = Run("patch", input, "-o", dir.File("plain.o"));
        var verified = Run("patch", input, "--verify", "-o", dir.File("verified.o"));
        Assert.Equal(0, plain.Code);
        Assert.Equal(0, verified.Code);
        Assert.Equal(string.Empty, verified.Err);
        Assert.Equal([$"{input}: {BasicSummary} -> {dir.File("verified.o")}"], verified.OutLines);
        Assert.Equal(File.ReadAllBytes(dir.File("plain.o")), File.ReadAllBytes(dir.File("verified.o")));
    }

    [Fact]
    public void In_place_replaces_the_input_and_leaves_no_temp_file()
    {
        string input = CopySample(dir, "session_subprog-eb.o");
        byte[] before = File.ReadAllBytes(input);
        var r = Run("patch", "--in-place", input);
        Assert.Equal(0, r.Code);
        Assert.EndsWith($" -> {input}\n", r.Out, StringComparison.Ordinal);
        Assert.NotEqual(before, File.ReadAllBytes(input));
        Assert.Equal(["session_subprog-eb.o"], dir.Names());
        var patched = Reload(input);
        Assert.Equal(ByteOrder.Big, patched.ByteOrder);

        // kwrite_sess (kprobe.session) keeps its calls through its own copy of the shared subprograms.
        Assert.All(patched.SessionCallSites, s => Assert.Contains(s.Function.Name, new[] { "sess_shared_note", "sess_is_exit" }));
        Assert.NotEmpty(patched.SessionCallSites);
    }

    [Theory]
    [InlineData("no_session-el.o", "0 session call(s) kept")]
    [InlineData("session_kprobe-eb.o", "6 session call(s) kept")]
    public void Object_with_nothing_to_rewrite_is_written_back_byte_identical(string sample, string kept)
    {
        string input = CopySample(dir, sample);
        string output = dir.File("out.o");
        var r = Run("patch", input, "-o", output);
        Assert.Equal(0, r.Code);
        Assert.Equal([$"{input}: nothing to inline; written unchanged ({kept}) -> {output}"], r.OutLines);
        Assert.Equal(File.ReadAllBytes(TestPaths.Sample(sample)), File.ReadAllBytes(output));
    }

    [Fact]
    public void Dry_run_writes_nothing()
    {
        string input = CopySample(dir, "session_basic-el.o");
        var r = Run("patch", input, "--dry-run");
        Assert.Equal(0, r.Code);
        Assert.Equal([$"{input}: {BasicSummary} (dry run)"], r.OutLines);

        r = Run("patch", input, "--dry-run", "--out-dir", dir.File("out"));
        Assert.Equal(0, r.Code);
        r = Run("patch", input, "--dry-run", "--in-place");
        Assert.Equal(0, r.Code);
        Assert.Equal(["session_basic-el.o"], dir.Names());
        Assert.Equal(File.ReadAllBytes(TestPaths.Sample("session_basic-el.o")), File.ReadAllBytes(input));
    }

    [Fact]
    public void Report_json_describes_each_object()
    {
        string basic = CopySample(dir, "session_basic-el.o");
        string bad = CopySample(dir, "session_bad-el.o");
        string outDir = dir.File("out");
        string report = dir.File("report.json");
        var r = Run("patch", basic, bad, "--out-dir", outDir, "--report", report);
        Assert.Equal(1, r.Code);

        using var doc = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal(1, doc.RootElement.GetProperty("schemaVersion").GetInt32());
        var objects = doc.RootElement.GetProperty("objects").EnumerateArray().ToList();
        Assert.Equal(2, objects.Count);

        var ok = objects[0];
        Assert.Equal(basic, ok.GetProperty("file").GetString());
        Assert.Equal(Path.Combine(outDir, "session_basic-el.o"), ok.GetProperty("output").GetString());
        Assert.True(ok.GetProperty("written").GetBoolean());
        Assert.Equal("linux-7.0", ok.GetProperty("abi").GetString());
        Assert.False(ok.GetProperty("unchanged").GetBoolean());
        Assert.Equal(3, ok.GetProperty("isReturnInlined").GetInt32());
        Assert.Equal(2, ok.GetProperty("cookieInlined").GetInt32());
        Assert.Equal(203, ok.GetProperty("slotsBefore").GetInt32());
        Assert.Equal(219, ok.GetProperty("slotsAfter").GetInt32());
        Assert.Contains(ok.GetProperty("droppedSections").EnumerateArray(), s => s.GetString() == ".debug_info");
        var first = ok.GetProperty("inlined")[0];
        Assert.Equal("fsession/do_unlinkat", first.GetProperty("section").GetString());
        Assert.Equal(5, first.GetProperty("originalIndex").GetInt32());
        Assert.Equal(6, first.GetProperty("length").GetInt32());
        Assert.Equal("bpf_session_cookie", first.GetProperty("kfunc").GetString());

        var rejected = objects[1];
        Assert.False(rejected.GetProperty("written").GetBoolean());
        Assert.Equal(4, rejected.GetProperty("diagnostics").EnumerateArray().Count(d => d.GetProperty("severity").GetString() == "error"));
        Assert.False(File.Exists(Path.Combine(outDir, "session_bad-el.o")));
    }

    [Fact]
    public void Keep_debug_keeps_the_dwarf_sections_with_a_warning()
    {
        string input = CopySample(dir, "session_basic-el.o");
        string output = dir.File("out.o");
        var r = Run("patch", input, "-o", output, "--keep-debug");
        Assert.Equal(0, r.Code);
        Assert.Equal([$"{input}: warning: kept 10 DWARF section(s) although code moved: their addresses are stale [BPF4003]", "hint: run without --keep-debug to drop the DWARF sections whose addresses no longer hold"], r.ErrLines);
        Assert.DoesNotContain("dropped", r.Out, StringComparison.Ordinal);
        var names = Reload(output).Elf.Sections.Select(s => s.Name).ToList();
        Assert.Contains(".debug_info", names);
        Assert.Contains(".debug_line", names);
    }

    [Fact]
    public void Out_dir_takes_several_inputs_and_is_created_when_missing()
    {
        string[] samples = ["session_basic-el.o", "session_asm-eb.o", "no_session-el.o"];
        var inputs = samples.Select(s => CopySample(dir, s)).ToArray();
        string outDir = Path.Combine(dir.Path, "new", "out");
        var r = Run(["patch", .. inputs, "--out-dir", outDir]);
        Assert.Equal(0, r.Code);
        Assert.Equal(3, r.OutLines.Length); // one summary line per object
        for (int i = 0; i < samples.Length; i++)
        {
            Assert.StartsWith($"{inputs[i]}: ", r.OutLines[i], StringComparison.Ordinal);
            Assert.EndsWith($" -> {Path.Combine(outDir, samples[i])}", r.OutLines[i], StringComparison.Ordinal);
            Assert.Empty(Reload(Path.Combine(outDir, samples[i])).SessionCallSites);
        }

        Assert.Equal([.. samples.Order(StringComparer.Ordinal)], Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Rejected_object_is_not_written_and_exits_1()
    {
        string input = CopySample(dir, "session_oldproto-el.o");
        string output = dir.File("out.o");
        var r = Run("patch", input, "-o", output);
        Assert.Equal(1, r.Code);
        Assert.Equal(string.Empty, r.Out);
        Assert.Contains($"./src/session_oldproto.bpf.c:43:18: error: R1 !read_ok [BPF3013] ({input}:fsession/do_rmdir/old_after_helper+2)", r.ErrLines);
        Assert.Equal($"bpffixup: error: {input}: not patched: the kernel would reject it (see the errors above)", r.ErrLines[^1]);
        Assert.Equal(["session_oldproto-el.o"], dir.Names());
    }

    [Theory]
    [InlineData("both", "bpffixup: error: use only one of --output, --out-dir and --in-place")]
    [InlineData("two", "bpffixup: error: --output takes one input; use --out-dir for several")]
    [InlineData("none", "bpffixup: error: say where to write: --output, --out-dir, --in-place (or --dry-run)")]
    public void Usage_errors_exit_2_and_write_nothing(string kind, string message)
    {
        string a = CopySample(dir, "session_basic-el.o");
        string b = CopySample(dir, "session_asm-el.o");
        string output = dir.File("out.o");
        string[] args = kind switch
        {
            "both" => ["patch", a, "-o", output, "--in-place"],
            "two" => ["patch", a, b, "-o", output],
            _ => ["patch", a],
        };
        var r = Run(args);
        Assert.Equal(2, r.Code);
        Assert.Equal(string.Empty, r.Out);
        Assert.Equal(message, r.ErrLines[0]);
        Assert.Equal(["session_asm-el.o", "session_basic-el.o"], dir.Names());
        Assert.Equal(File.ReadAllBytes(TestPaths.Sample("session_basic-el.o")), File.ReadAllBytes(a));
    }

    [Fact]
    public void Output_equal_to_the_input_is_refused_without_in_place()
    {
        string input = CopySample(dir, "session_basic-el.o");
        string sameByAnotherName = Path.Combine(dir.Path, ".", "session_basic-el.o");
        var r = Run("patch", input, "-o", sameByAnotherName);
        Assert.Equal(2, r.Code);
        Assert.Equal([$"bpffixup: error: {sameByAnotherName}: refusing to write --output: it is the input {input}"], r.ErrLines);
        Assert.Equal(File.ReadAllBytes(TestPaths.Sample("session_basic-el.o")), File.ReadAllBytes(input));

        r = Run("patch", input, "--out-dir", dir.Path);
        Assert.Equal(2, r.Code);
        Assert.Equal(["session_basic-el.o"], dir.Names());
    }

    [Fact]
    public void Abi_changes_the_shifts_and_an_override_wins()
    {
        string input = CopySample(dir, "session_asm-el.o");
        var linux = Run("patch", input, "--dry-run", "--diff", "--program", "x");
        Assert.Equal(2, linux.Code); // patch has no --program

        linux = Run("patch", input, "--dry-run", "--diff");
        Assert.Contains("+    r0 >>= 0x8\n", linux.Out, StringComparison.Ordinal);  // cookie index shift 8
        Assert.Contains("+    r0 >>= 0x3f\n", linux.Out, StringComparison.Ordinal); // is_return shift 63
        Assert.DoesNotContain("r0 >>= 0x9", linux.Out, StringComparison.Ordinal);

        var v9 = Run("patch", input, "--dry-run", "--diff", "--abi", "patch-v9");
        Assert.Equal(0, v9.Code);
        Assert.StartsWith($"{input}: inlined 10 session call(s) (5 bpf_session_is_return, 5 bpf_session_cookie) for patch-v9;", v9.Out, StringComparison.Ordinal);
        Assert.Contains("+    r0 >>= 0x9\n", v9.Out, StringComparison.Ordinal); // cookie
        Assert.Contains("+    r0 >>= 0x8\n", v9.Out, StringComparison.Ordinal); // is_return
        Assert.DoesNotContain("r0 >>= 0x3f", v9.Out, StringComparison.Ordinal);

        var overridden = Run("patch", input, "--dry-run", "--diff", "--abi", "patch-v9", "--is-return-shift", "7");
        Assert.Equal(0, overridden.Code);
        Assert.Contains("for patch-v9+is_return_shift=7,cookie_index_shift=9;", overridden.Out, StringComparison.Ordinal);
        Assert.Contains("+    r0 >>= 0x7\n", overridden.Out, StringComparison.Ordinal);
        Assert.Contains("+    r0 >>= 0x9\n", overridden.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("r0 >>= 0x8\n", overridden.Out, StringComparison.Ordinal);

        Assert.Equal(2, Run("patch", input, "--dry-run", "--is-return-shift", "64").Code);
    }

    [Fact]
    public void Patched_bytes_follow_the_abi()
    {
        string input = CopySample(dir, "session_asm-el.o");
        Assert.Equal(0, Run("patch", input, "-o", dir.File("a.o")).Code);
        Assert.Equal(0, Run("patch", input, "-o", dir.File("b.o"), "--abi", "patch-v9").Code);
        Assert.NotEqual(File.ReadAllBytes(dir.File("a.o")), File.ReadAllBytes(dir.File("b.o")));
        var listing = Run("dump", "--no-raw", dir.File("b.o"));
        Assert.Contains("r0 >>= 0x9", listing.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Unwritable_output_directory_exits_2_and_writes_nothing()
    {
        string input = CopySample(dir, "session_basic-el.o");
        string blocker = dir.File("blocker");
        File.WriteAllText(blocker, "a file where a directory should be\n");

        var r = Run("patch", input, "-o", Path.Combine(blocker, "out.o"));
        Assert.Equal(2, r.Code);
        Assert.Equal([$"bpffixup: error: {Path.Combine(blocker, "out.o")}: cannot write: not a directory"], r.ErrLines);

        r = Run("patch", input, "--out-dir", blocker);
        Assert.Equal(2, r.Code);
        Assert.Equal(string.Empty, r.Out);
        Assert.Equal([$"bpffixup: error: {blocker}: cannot create the output directory: a file is in the way"], r.ErrLines);

        r = Run("patch", input, "--dry-run", "--report", Path.Combine(blocker, "r.json"));
        Assert.Equal(2, r.Code);
        Assert.Equal([$"bpffixup: error: {Path.Combine(blocker, "r.json")}: cannot write: not a directory"], r.ErrLines);

        Assert.Equal(["blocker", "session_basic-el.o"], dir.Names());
        Assert.Equal("a file where a directory should be\n", File.ReadAllText(blocker));
    }

    [Fact]
    public void Unreadable_input_exits_2_before_anything_is_written()
    {
        string input = CopySample(dir, "session_basic-el.o");
        string outDir = dir.File("out");
        var r = Run("patch", input, dir.File("nope.o"), "--out-dir", outDir);
        Assert.Equal(2, r.Code);
        Assert.Equal([$"bpffixup: error: {dir.File("nope.o")}: file at 0x0: cannot read: no such file or directory"], r.ErrLines);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Diff_takes_color_as_the_diff_command_does()
    {
        string input = CopySample(dir, "session_basic-el.o", "a.o");
        string always = Run("patch", input, "--dry-run", "--diff", "--color=always").Out;
        Assert.Contains("\u001b[36m@@ ", always, StringComparison.Ordinal);
        Assert.Contains("\u001b[32m+    r0 >>= 0x3f\u001b[m\n", always, StringComparison.Ordinal);
        string plain = Run("patch", input, "--dry-run", "--diff").Out; // auto, not a terminal
        Assert.DoesNotContain("\u001b", plain, StringComparison.Ordinal);
        Assert.Equal(plain, Run("patch", input, "--dry-run", "--diff", "--color", "never").Out);
        Assert.Equal(plain, System.Text.RegularExpressions.Regex.Replace(always, "\u001b\\[[0-9;]*m", string.Empty));
        var bad = Run("patch", input, "--dry-run", "--diff", "--color=sometimes");
        Assert.Equal(["bpffixup: error: --color: invalid value 'sometimes': expected one of auto, always, never"], bad.ErrLines);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("NO_COLOR=1 ", false)]
    public void Diff_color_auto_paints_on_a_terminal_unless_NO_COLOR(string env, bool painted)
    {
        CopySample(dir, "session_basic-el.o", "a.o");
        var r = ToolProcess.Run(dir.Path, ["/bin/sh", "-c", $"{env}script -qec '\"$B\" patch a.o --dry-run --diff' /dev/null"], ("TERM", "xterm"));
        Assert.Equal(0, r.Code);
        Assert.Contains("@@ -4,11 +4,20 @@", r.Out, StringComparison.Ordinal);
        Assert.Equal(painted, r.Out.Contains("\u001b[36m@@", StringComparison.Ordinal));
    }
}
