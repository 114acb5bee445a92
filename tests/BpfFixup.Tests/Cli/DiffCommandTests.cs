// SPDX-License-Identifier: MIT
using System.Text.Json;
using BpfFixup.Tests.TestKit;
using static BpfFixup.Tests.TestKit.CliRun;

namespace BpfFixup.Tests.Cli;

public sealed class DiffCommandTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    /// <summary>A copy of <paramref name="sample"/> with the unique 8-byte instruction <paramref name="from"/> replaced by <paramref name="to"/>.</summary>
    private string Patched(string sample, string name, string from, string to)
    {
        byte[] bytes = File.ReadAllBytes(TestPaths.Sample(sample));
        byte[] a = Convert.FromHexString(from);
        int at = bytes.AsSpan().IndexOf(a);
        Assert.True(at >= 0 && bytes.AsSpan(at + 1).IndexOf(a) < 0, "the instruction must occur exactly once");
        Convert.FromHexString(to).CopyTo(bytes, at);
        string path = dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Identical_files_exit_0_and_print_nothing()
    {
        string a = CopySample(dir, "session_subprog-el.o", "a.o");
        string b = CopySample(dir, "session_subprog-el.o", "b.o");
        var r = Run("diff", a, b);
        Assert.Equal((0, string.Empty, string.Empty), (r.Code, r.Out, r.Err));
        r = Run("diff", a, b, "--fixup");
        Assert.Equal((0, string.Empty, string.Empty), (r.Code, r.Out, r.Err));
    }

    [Theory]
    [InlineData("session_basic")]
    [InlineData("session_subprog")]
    [InlineData("session_asm")]
    [InlineData("session_kprobe")]
    [InlineData("session_basic-{0}-v4")]
    public void Byte_orders_built_from_the_same_source_compare_equal(string stem)
    {
        string el = CopySample(dir, (stem.Contains('{', StringComparison.Ordinal) ? string.Format(System.Globalization.CultureInfo.InvariantCulture, stem, "el") : stem + "-el") + ".o");
        string eb = CopySample(dir, (stem.Contains('{', StringComparison.Ordinal) ? string.Format(System.Globalization.CultureInfo.InvariantCulture, stem, "eb") : stem + "-eb") + ".o");
        foreach (var extra in new[] { Array.Empty<string>(), ["--fixup"] })
        {
            var r = Run(["diff", el, eb, .. extra]);
            Assert.True(r.Code == 0, r.ToString());
            Assert.Equal(string.Empty, r.Out);
        }
    }

    [Fact]
    public void Byte_orders_where_clang_emitted_different_code_differ()
    {
        // no_session's xdp_count compares eth->h_proto with bpf_htons(ETH_P_IP): clang folds it per byte order.
        var r = Run("diff", CopySample(dir, "no_session-el.o"), CopySample(dir, "no_session-eb.o"));
        Assert.Equal(1, r.Code);
        Assert.Contains("-    if r4 != 0x8 goto .L0bbc\n+    if r4 != 0x800 goto .L0bbc\n", r.Out, StringComparison.Ordinal);
        Assert.Single(r.OutLines, l => l.StartsWith("--- ", StringComparison.Ordinal));
    }

    [Fact]
    public void Different_objects_list_added_and_removed_programs()
    {
        string a = CopySample(dir, "session_basic-el.o");
        string b = CopySample(dir, "session_kprobe-el.o");
        var r = Run("diff", a, b);
        Assert.Equal(1, r.Code);
        Assert.Equal(string.Empty, r.Err);
        Assert.Contains($"--- {a}:fsession/do_unlinkat/unlink_lat\n+++ /dev/null\n@@ -1,120 +0,0 @@\n-unlink_lat:\n", r.Out, StringComparison.Ordinal);
        Assert.Contains($"--- /dev/null\n+++ {b}:uprobe.session/libc.so.6:malloc/malloc_sess\n@@ -0,0 +1,45 @@\n+malloc_sess:\n", r.Out, StringComparison.Ordinal);
        Assert.Equal(8, r.OutLines.Count(l => l.StartsWith("@@ ", StringComparison.Ordinal)));
    }

    [Fact]
    public void One_inserted_instruction_is_one_added_line_and_a_jump_target_change_one_changed_line()
    {
        string a = CopySample(dir, "no_session-el.o");

        // tp_openat insn 16 'if r6 == 0x0 goto +0xc' (to .L370f) retargeted to the existing label .Lc495 (+0x2).
        string b = Patched("no_session-el.o", "retarget.o", "15060c0000000000", "1506020000000000");
        var r = Run("diff", a, b, "--context", "0");
        Assert.Equal(1, r.Code);
        Assert.Equal(
            $"--- {a}:tracepoint/syscalls/sys_enter_openat/tp_openat\n+++ {b}:tracepoint/syscalls/sys_enter_openat/tp_openat\n@@ -22 +22 @@ tp_openat\n-    if r6 == 0x0 goto .L370f\n+    if r6 == 0x0 goto .Lc495\n",
            r.Out);

        // --context 3 (the default) shows the neighbours.
        r = Run("diff", a, b);
        Assert.Contains("@@ -19,7 +19,7 @@ tp_openat\n", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Fixup_of_one_object_equals_patch_diff()
    {
        string obj = CopySample(dir, "session_subprog-el.o");
        var diff = Run("diff", obj, "--fixup");
        Assert.Equal(1, diff.Code);
        Assert.Equal(string.Empty, diff.Err);
        var patch = Run("patch", obj, "--dry-run", "--diff");
        Assert.Equal(0, patch.Code);
        int firstNewline = patch.Out.IndexOf('\n', StringComparison.Ordinal);
        Assert.StartsWith($"{obj}: inlined ", patch.Out, StringComparison.Ordinal);
        Assert.Equal(patch.Out[(firstNewline + 1)..], diff.Out);
        Assert.StartsWith("--- session_subprog-el.o:fsession/vfs_read/read_sess\n+++ session_subprog-el.o (after fixup):fsession/vfs_read/read_sess\n", diff.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Fixup_of_an_object_with_nothing_to_inline_exits_0_with_no_output()
    {
        var r = Run("diff", CopySample(dir, "session_kprobe-eb.o"), "--fixup");
        Assert.Equal((0, string.Empty, string.Empty), (r.Code, r.Out, r.Err));
    }

    [Fact]
    public void Fixup_of_a_rejected_object_exits_1_as_every_command_does()
    {
        string obj = CopySample(dir, "session_bad-el.o");
        var r = Run("diff", obj, "--fixup");
        Assert.Equal(1, r.Code);
        Assert.Equal(string.Empty, r.Out);
        Assert.Equal($"bpffixup: error: {obj}: no fixup to show: the kernel would reject it (see the errors above)", r.ErrLines[^1]);

        // The same outcome, the same exit code and the same last line in every command.
        Assert.Equal(1, Run("diff", obj, obj, "--fixup").Code);
        Assert.Equal(1, Run("dump", obj, "--fixup").Code);
        Assert.Equal(1, Run("check", obj).Code);
        var patch = Run("patch", obj, "--dry-run");
        Assert.Equal((1, $"bpffixup: error: {obj}: not patched: the kernel would reject it (see the errors above)"), (patch.Code, patch.ErrLines[^1]));
        var snapshot = Run("snapshot", obj, "--dir", dir.File("snaps"));
        Assert.Equal((1, $"bpffixup: error: {obj}: no snapshot: the kernel would reject it (see the errors above)"), (snapshot.Code, snapshot.ErrLines[^1]));
    }

    [Fact]
    public void Fixup_compares_two_objects_after_the_fixup()
    {
        string a = CopySample(dir, "session_asm-el.o");
        string before = Run("diff", a, a).Out;
        Assert.Equal(string.Empty, before);

        // Same object, different ABIs cannot be compared in one run; the v1 and default builds are byte-identical.
        var r = Run("diff", CopySample(dir, "session_subprog-el.o"), CopySample(dir, "session_subprog-el-v4.o"), "--fixup", "--program", "read_sess");
        Assert.Equal(1, r.Code);
        Assert.Contains("+++ ", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("call bpf_session_cookie", r.Out, StringComparison.Ordinal); // both sides are after the fixup
        Assert.DoesNotContain("write_sess", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Stat_format_is_a_veristat_table()
    {
        string a = CopySample(dir, "session_basic-el.o");
        string b = CopySample(dir, "session_basic-el-v4.o");
        var r = Run("diff", a, b, "--format", "stat");
        Assert.Equal(1, r.Code);
        var lines = r.OutLines;
        Assert.Equal(8, lines.Length);
        Assert.Matches(@"^File +Program +Listing \(A\) +Listing \(B\) +Listing \(DIFF\) +Insns \(A\) +Insns \(B\) +Insns \(DIFF\)$", lines[0]);
        Assert.Matches("^-+ +-+ +-+ +-+ +-+ +-+ +-+ +-+$", lines[1]);
        Assert.Equal(lines[1], lines[^1]); // veristat closes the table with the underline
        string pair = $"{a} -> {b}";
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(pair)} +fexit/do_unlinkat/unlink_exit +[0-9a-f]{{7}} +[0-9a-f]{{7}} +MISMATCH +9 +7 +-2 \(-22\.22%\)$", lines[3]);
        Assert.Matches(@" +MISMATCH +12 +12 +\+0 \(\+0\.00%\)$", lines[6]);

        // With no difference the table still lists every program as MATCH, and the exit code is 0.
        r = Run("diff", a, CopySample(dir, "session_basic-el-v1.o"), "--format", "stat");
        Assert.Equal(0, r.Code);
        Assert.Equal(5, r.OutLines.Count(l => l.Contains(" MATCH ", StringComparison.Ordinal)));

        // veristat's -o csv: its header names with _base/_comp/_diff, one row per program.
        r = Run("diff", a, b, "--format", "stat", "-o", "csv");
        Assert.Equal(1, r.Code);
        Assert.Equal("file_name,prog_name,listing_base,listing_comp,listing_diff,total_insns_base,total_insns_comp,total_insns_diff", r.OutLines[0]);
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(pair)},fexit/do_unlinkat/unlink_exit,[0-9a-f]{{7}},[0-9a-f]{{7}},MISMATCH,9,7,-2 \(-22\.22%\)$", r.OutLines[2]);
        Assert.Equal(6, r.OutLines.Length);
        Assert.Equal(r.Out, Run("diff", a, b, "--format", "stat", "--output-format=csv").Out);
    }

    [Fact]
    public void Json_format_parses_and_carries_statuses_and_hunks()
    {
        string a = CopySample(dir, "session_basic-el.o");
        string b = CopySample(dir, "session_kprobe-el.o");
        var r = Run("diff", a, b, "--format", "json");
        Assert.Equal(1, r.Code);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal(a, root.GetProperty("oldFile").GetString());
        Assert.Equal(b, root.GetProperty("newFile").GetString());
        Assert.True(root.GetProperty("hasDifferences").GetBoolean());
        var programs = root.GetProperty("programs").EnumerateArray().ToList();
        Assert.Equal(8, programs.Count);
        var lat = programs.Single(p => p.GetProperty("name").GetString() == "unlink_lat");
        Assert.Equal("removed", lat.GetProperty("status").GetString());
        Assert.Equal(87, lat.GetProperty("insnsA").GetInt32());
        var malloc = programs.Single(p => p.GetProperty("name").GetString() == "malloc_sess");
        Assert.Equal("added", malloc.GetProperty("status").GetString());
        Assert.Equal("+malloc_sess:", malloc.GetProperty("hunks")[0].GetProperty("lines")[0].GetString());

        r = Run("diff", a, a, "--format", "json");
        Assert.Equal(0, r.Code);
        using var same = JsonDocument.Parse(r.Out);
        Assert.False(same.RootElement.GetProperty("hasDifferences").GetBoolean());
        Assert.All(same.RootElement.GetProperty("programs").EnumerateArray(), p => Assert.Equal("identical", p.GetProperty("status").GetString()));
    }

    [Fact]
    public void Program_option_filters_and_an_unknown_program_exits_2()
    {
        string a = CopySample(dir, "session_basic-el.o");
        string b = CopySample(dir, "session_basic-el-v4.o");
        // The code at the label changed (r0 = 0x0 became w0 = 0x0), its source line did not: the label stays (StableLabels).
        var r = Run("diff", a, b, "--program", "fsync_count", "--context", "0");
        Assert.Equal(1, r.Code);
        Assert.Equal(
            $"--- {a}:fsession/vfs_fsync_range/fsync_count\n+++ {b}:fsession/vfs_fsync_range/fsync_count\n@@ -6,2 +6,2 @@ fsync_count\n-    r0 &= 0x1\n-    if r0 == 0x0 goto .L76ec\n+    w0 &= 0x1\n+    if w0 == 0x0 goto .L76ec\n@@ -17 +17 @@ fsync_count\n-    r0 = 0x0\n+    w0 = 0x0\n",
            r.Out);

        r = Run("diff", a, b, "--program", "nope");
        Assert.Equal(2, r.Code);
        Assert.Equal(["bpffixup: error: no program 'nope'"], r.ErrLines);
    }

    [Fact]
    public void Empty_program_is_not_listed()
    {
        string empty = CopyTestData(dir, "empty_prog.o");
        var r = Run("diff", empty, empty);
        Assert.Equal((0, string.Empty), (r.Code, r.Out));

        r = Run("diff", empty, CopySample(dir, "no_session-el.o"), "--format", "stat");
        Assert.Equal(1, r.Code);
        Assert.DoesNotContain(r.OutLines, l => l.Contains("xdp/empty_prog", StringComparison.Ordinal));
        Assert.Contains(r.OutLines, l => l.Contains("tc/tc_prog", StringComparison.Ordinal) && l.EndsWith("N/A", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "diff", "ONE" }, "bpffixup: error: diff takes two objects, or one object with --fixup")]
    [InlineData(new[] { "diff", "ONE", "ONE", "--context", "-1" }, "bpffixup: error: --context: invalid value '-1': expected a whole number from 0 to 100000000")]
    [InlineData(new[] { "diff", "ONE", "ONE", "--format", "html" }, null)]
    [InlineData(new[] { "diff", "ONE", "MISSING" }, "bpffixup: error: MISSING: file at 0x0: cannot read: no such file or directory")]
    public void Trouble_exits_2(string[] args, string? firstError)
    {
        string one = CopySample(dir, "session_asm-el.o");
        string missing = dir.File("missing.o");
        var r = Run([.. args.Select(a => a.Replace("ONE", one, StringComparison.Ordinal).Replace("MISSING", missing, StringComparison.Ordinal))]);
        Assert.Equal(2, r.Code);
        Assert.Equal(string.Empty, r.Out);
        if (firstError is not null)
        {
            Assert.Equal(firstError.Replace("MISSING", missing, StringComparison.Ordinal), r.ErrLines[0]);
        }
    }

    [Fact]
    public void Quiet_prints_nothing_and_exits_with_the_answer()
    {
        string a = CopySample(dir, "session_basic-el.o");
        Assert.Equal((1, string.Empty, string.Empty), Short(Run("diff", a, CopySample(dir, "session_basic-el-v4.o"), "--quiet")));
        Assert.Equal((0, string.Empty, string.Empty), Short(Run("diff", a, CopySample(dir, "session_basic-el-v1.o"), "--quiet")));
        Assert.Equal((1, string.Empty, string.Empty), Short(Run("diff", CopySample(dir, "session_subprog-el.o"), "--fixup", "--quiet")));
        Assert.Equal((0, string.Empty, string.Empty), Short(Run("diff", CopySample(dir, "session_kprobe-eb.o"), "--fixup", "--quiet")));
    }

    private static (int, string, string) Short(CliResult r) => (r.Code, r.Out, r.Err);

    [Fact]
    public void U_and_unified_are_context()
    {
        string a = CopySample(dir, "session_basic-el.o");
        string b = CopySample(dir, "session_basic-el-v4.o");
        string zero = Run("diff", a, b, "--context", "0").Out;
        Assert.Contains("@@ -6,2 +6,2 @@ fsync_count\n", zero, StringComparison.Ordinal);
        Assert.Equal(zero, Run("diff", a, b, "-U", "0").Out);
        Assert.Equal(zero, Run("diff", a, b, "-U0").Out);
        Assert.Equal(zero, Run("diff", a, b, "--unified=0").Out);
        Assert.NotEqual(zero, Run("diff", a, b, "--unified=1").Out);
    }

    [Fact]
    public void Color_always_paints_as_git_and_auto_or_never_do_not_off_a_terminal()
    {
        string a = CopySample(dir, "session_basic-el.o");
        string b = CopySample(dir, "session_basic-el-v4.o");
        var r = Run("diff", a, b, "--program", "fsync_count", "-U0", "--color=always");
        Assert.Equal(1, r.Code);
        Assert.StartsWith(
            $"\u001b[1m--- {a}:fsession/vfs_fsync_range/fsync_count\u001b[m\n\u001b[1m+++ {b}:fsession/vfs_fsync_range/fsync_count\u001b[m\n"
            + "\u001b[36m@@ -6,2 +6,2 @@\u001b[m \u001b[mfsync_count\u001b[m\n\u001b[31m-    r0 &= 0x1\u001b[m\n",
            r.Out,
            StringComparison.Ordinal);
        Assert.Contains("\n\u001b[32m+    w0 &= 0x1\u001b[m\n", r.Out, StringComparison.Ordinal);

        // Without the colours the text is the plain diff, byte for byte.
        string plain = Run("diff", a, b, "--program", "fsync_count", "-U0").Out;
        Assert.Equal(plain, System.Text.RegularExpressions.Regex.Replace(r.Out, "\u001b\\[[0-9;]*m", string.Empty));
        Assert.Equal(plain, Run("diff", a, b, "--program", "fsync_count", "-U0", "--color=never").Out);
        Assert.Equal(plain, Run("diff", a, b, "--program", "fsync_count", "-U0", "--color", "auto").Out); // not a terminal

        // --stat is coloured too.
        Assert.Contains("\u001b[32m+", Run("diff", a, b, "--stat", "--color=always").Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("NO_COLOR=1 ", false)]
    [InlineData("TERM=dumb ", false)]
    public void Color_auto_paints_on_a_terminal_unless_NO_COLOR(string env, bool painted)
    {
        CopySample(dir, "session_basic-el.o", "a.o");
        CopySample(dir, "session_basic-el-v4.o", "b.o");
        var r = ToolProcess.Run(dir.Path, ["/bin/sh", "-c", $"{env}script -qec '\"$B\" diff a.o b.o --program fsync_count -U0' /dev/null"], ("TERM", "xterm"));
        Assert.Equal(1, r.Code); // script -e passes on the tool's status: the programs differ
        Assert.Contains("@@ -6,2 +6,2 @@", r.Out, StringComparison.Ordinal);
        Assert.Equal(painted, r.Out.Contains("\u001b[36m@@", StringComparison.Ordinal));
    }

    [Fact]
    public void Source_line_numbers_are_left_out_unless_kept_as_in_snapshots()
    {
        string a = CopySample(dir, "session_basic-el.o");
        string b = CopySample(dir, "session_basic-el-v4.o");
        foreach (string[] args in new[] { new[] { "diff", "--fixup", a }, new[] { "diff", a, b } })
        {
            string scrubbed = Run(args).Out;
            string kept = Run([.. args, "--keep-line-numbers"]).Out;
            Assert.Contains("(session_basic.bpf.c)\n", scrubbed, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"\(session_basic\.bpf\.c:[0-9]+\)", scrubbed);
            Assert.Matches(@"\(session_basic\.bpf\.c:[0-9]+\)\n", kept);
            Assert.Equal(scrubbed, System.Text.RegularExpressions.Regex.Replace(kept, @"(\(session_basic\.bpf\.c):[0-9]+\)", "$1)"));
        }
    }

    [Fact]
    public void Section_selects_programs_as_llvm_objdump_j_does()
    {
        string a = CopySample(dir, "session_basic-el.o");
        var r = Run("diff", "--fixup", a, "-j", "fsession/do_unlinkat", "--section", "fsession.s/do_sys_openat2", "--stat");
        Assert.Equal(1, r.Code);
        Assert.Equal(["fsession.s/do_sys_openat2/open_fail", "fsession/do_unlinkat/unlink_lat"], r.Out.Split('\n').SkipLast(2).Select(l => l.Split('|')[0].Trim()));
        Assert.Equal((0, string.Empty), (Run("diff", "--fixup", a, "-j", "fentry/do_unlinkat").Code, Run("diff", "--fixup", a, "-j", "fentry/do_unlinkat").Out));
        var none = Run("diff", "--fixup", a, "-j", "fsession");
        Assert.Equal((2, string.Empty), (none.Code, none.Out));
        Assert.Equal(["bpffixup: error: no program in a section 'fsession'"], none.ErrLines);
    }

    [Fact]
    public void Stat_is_gits_stat()
    {
        string a = CopySample(dir, "session_basic-el.o");
        string b = CopySample(dir, "session_kprobe-el.o");
        var r = Run("diff", a, b, "--stat");
        Assert.Equal(1, r.Code);

        // What git diff --stat prints for files of these names with these line counts.
        Assert.Equal(
            " fentry/do_unlinkat/unlink_entry             |  26 ------\n"
            + " fexit/do_unlinkat/unlink_exit               |  15 ----\n"
            + " fsession.s/do_sys_openat2/open_fail         |  76 ------------------\n"
            + " fsession/do_unlinkat/unlink_lat             | 120 ----------------------------\n"
            + " fsession/vfs_fsync_range/fsync_count        |  18 -----\n"
            + " kprobe.session/do_unlinkat/kunlink_sess     |  43 ++++++++++\n"
            + " uprobe.session.s/libc.so.6:free/free_sess   |  25 ++++++\n"
            + " uprobe.session/libc.so.6:malloc/malloc_sess |  45 +++++++++++\n"
            + " 8 programs changed, 113 insertions(+), 255 deletions(-)\n",
            r.Out);
        Assert.Equal((0, string.Empty), (Run("diff", a, a, "--stat").Code, Run("diff", a, a, "--stat").Out));
    }

    [Theory]
    [InlineData(new[] { "diff", "ONE", "ONE", "--stat", "--format", "json" }, "bpffixup: error: --stat is the unified diff's summary; it does not combine with --format json")]
    [InlineData(new[] { "diff", "ONE", "ONE", "-o", "csv" }, "bpffixup: error: --output-format applies to --format stat")]
    [InlineData(new[] { "diff", "ONE", "ONE", "--format", "stat", "-o", "xml" }, null)]
    [InlineData(new[] { "diff", "ONE", "ONE", "--color=sometimes" }, null)]
    public void Option_misuse_exits_2(string[] args, string? firstError)
    {
        string one = CopySample(dir, "session_asm-el.o");
        var r = Run([.. args.Select(a => a.Replace("ONE", one, StringComparison.Ordinal))]);
        Assert.Equal(2, r.Code);
        Assert.Equal(string.Empty, r.Out);
        if (firstError is not null)
        {
            Assert.Equal(firstError, r.ErrLines[0]);
        }
    }

    [Fact]
    public void Fixup_of_session_asm() => SnapshotAssert.Match(Run("diff", CopySample(dir, "session_asm-el.o"), "--fixup").Out);
}
