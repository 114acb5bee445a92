// SPDX-License-Identifier: MIT
using BpfFixup.Tests.TestKit;
using static BpfFixup.Tests.TestKit.CliRun;

namespace BpfFixup.Tests.Cli;

/// <summary>
/// The command reads <c>BPFFIXUP_ACCEPT</c> and <c>CI</c>, so every test here clears them (a CI runner sets <c>CI</c>)
/// and runs in the non-parallel environment collection.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class SnapshotCommandTests : IDisposable
{
    private static readonly string[] AsmPrograms = ["asm_jump_to_call", "asm_jumps", "asm_spill_reload", "asm_tail_calls", "c_anchor"];

    private readonly TempDirectory dir = new();
    private readonly EnvironmentScope env = new EnvironmentScope().Set("BPFFIXUP_ACCEPT", null).Set("CI", null);

    public void Dispose()
    {
        env.Dispose();
        dir.Dispose();
    }

    private string SnapDir => Path.Combine(dir.Path, "snapshots", "nested");

    private string Snap(string name) => Path.Combine(SnapDir, name);

    private string[] SnapNames() => [.. Directory.GetFiles(SnapDir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private static string[] Verified(string stem, IEnumerable<string> programs) => [.. programs.Select(p => $"{stem}.{p}.verified.txt")];

    [Fact]
    public void Default_mode_creates_the_directory_and_one_file_per_program()
    {
        string obj = CopySample(dir, "session_asm-el.o");
        var r = Run("snapshot", obj, "--dir", SnapDir);
        Assert.Equal(0, r.Code);
        Assert.Equal(string.Empty, r.Err);
        Assert.Equal([.. Verified("session_asm-el", AsmPrograms).Select(n => "created: " + n), $"5 snapshot(s) in {SnapDir}: 0 matched, 0 failed, 0 dangling (default mode)"], r.OutLines);
        Assert.Equal(Verified("session_asm-el", AsmPrograms), SnapNames());

        string text = File.ReadAllText(Snap("session_asm-el.asm_tail_calls.verified.txt"));
        Assert.DoesNotContain('\r', text);
        Assert.StartsWith(
            "object: ../../session_asm-el.o\nprogram: asm_tail_calls\nsection: fsession/vfs_fsync\ntype: tracing/trace_fsession\nabi: linux-7.0\nbyte order: little\n\nasm_tail_calls:\n",
            text,
            StringComparison.Ordinal);

        // Subprograms follow the program, inlined sites are marked, source lines are comments.
        // Verify's convention: LF, no newline at the end of the file.
        Assert.EndsWith(
            "asm_tail_is_ret:\n    ; asm volatile ( (session_asm.bpf.c)\n    ; inlined bpf_session_is_return (3 insns)\n    r0 = *(u64 *)(r1 - 0x8)\n    r0 >>= 0x3f\n    r0 &= 0x1\n    exit",
            text,
            StringComparison.Ordinal);
        Assert.Contains("    call asm_tail_cookie\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("call bpf_session", text, StringComparison.Ordinal);

        // Jump targets are labels, helpers have names, symbols are named.
        string jumps = File.ReadAllText(Snap("session_asm-el.asm_jump_to_call.verified.txt"));
        Assert.Contains("    if r0 == 0x0 goto .L9326\n", jumps, StringComparison.Ordinal);
        Assert.Contains(".L9326:\n    ; inlined bpf_session_cookie (6 insns)\n", jumps, StringComparison.Ordinal);
        Assert.Contains("    call bpf_get_smp_processor_id\n", jumps, StringComparison.Ordinal);
        Assert.Contains("    r2 = anchor_hits ll\n", File.ReadAllText(Snap("session_asm-el.c_anchor.verified.txt")), StringComparison.Ordinal);
    }

    [Fact]
    public void Big_endian_snapshots_differ_from_little_endian_only_in_the_header()
    {
        Directory.CreateDirectory(Path.Combine(dir.Path, "el"));
        string el = CopySample(dir, "session_basic-el.o", Path.Combine("el", "basic.o"));
        var r = Run("snapshot", el, "--dir", Path.Combine(dir.Path, "el"));
        Assert.Equal(0, r.Code);
        Directory.CreateDirectory(Path.Combine(dir.Path, "eb"));
        string eb = CopySample(dir, "session_basic-eb.o", Path.Combine("eb", "basic.o"));
        r = Run("snapshot", eb, "--dir", Path.Combine(dir.Path, "eb"));
        Assert.Equal(0, r.Code);
        foreach (var name in Verified("basic", ["fsync_count", "open_fail", "unlink_entry", "unlink_exit", "unlink_lat"]))
        {
            string little = File.ReadAllText(Path.Combine(dir.Path, "el", name));
            string big = File.ReadAllText(Path.Combine(dir.Path, "eb", name));
            Assert.Contains("\nbyte order: little\n", little, StringComparison.Ordinal);
            Assert.Equal(little.Replace("byte order: little", "byte order: big", StringComparison.Ordinal), big);
        }
    }

    [Fact]
    public void Create_check_modify_accept_dangling_round_trip()
    {
        string asm = CopySample(dir, "session_asm-el.o");
        string kprobe = CopySample(dir, "session_kprobe-el.o");
        Assert.Equal(0, Run("snapshot", asm, kprobe, "--dir", SnapDir).Code);

        // A fresh check passes and writes nothing.
        var r = Run("snapshot", asm, kprobe, "--dir", SnapDir, "--check");
        Assert.Equal(0, r.Code);
        Assert.Equal([$"8 snapshot(s) in {SnapDir}: 8 matched, 0 failed, 0 dangling (check mode)"], r.OutLines);
        Assert.Equal(8, SnapNames().Length);

        // Edit one verified file: check fails, writes the received file and prints a unified diff.
        string verified = Snap("session_asm-el.asm_jumps.verified.txt");
        string good = File.ReadAllText(verified);
        File.WriteAllText(verified, good.Replace("    r8 += 0x1\n", "    r8 += 0x2\n", StringComparison.Ordinal));
        r = Run("snapshot", asm, kprobe, "--dir", SnapDir, "--check");
        Assert.Equal(1, r.Code);
        Assert.Equal("mismatched: session_asm-el.asm_jumps.verified.txt (received: session_asm-el.asm_jumps.received.txt)", r.OutLines[0]);
        Assert.Contains(
            "--- a/session_asm-el.asm_jumps.verified.txt\n+++ b/session_asm-el.asm_jumps.verified.txt\n@@ -18,7 +18,7 @@ asm_jumps\n",
            r.Out,
            StringComparison.Ordinal);
        Assert.Contains("-    r8 += 0x2\n+    r8 += 0x1\n", r.Out, StringComparison.Ordinal);
        Assert.Equal($"8 snapshot(s) in {SnapDir}: 7 matched, 1 failed, 0 dangling (check mode)", r.OutLines[^2]);
        Assert.Equal($"next step: review the diffs above; if the change is intended, run the same command with --accept to write the 1 received snapshot(s) into {SnapDir} as verified", r.OutLines[^1]);
        Assert.Equal(good, File.ReadAllText(Snap("session_asm-el.asm_jumps.received.txt")));
        Assert.NotEqual(good, File.ReadAllText(verified)); // check never overwrites

        // Default mode reports the difference too (exit 1) and does not overwrite.
        r = Run("snapshot", asm, kprobe, "--dir", SnapDir);
        Assert.Equal(1, r.Code);
        Assert.NotEqual(good, File.ReadAllText(verified));

        // Accept fixes it and deletes the received file.
        r = Run("snapshot", asm, kprobe, "--dir", SnapDir, "--accept");
        Assert.Equal(0, r.Code);
        Assert.Equal(["accepted: session_asm-el.asm_jumps.verified.txt", $"8 snapshot(s) in {SnapDir}: 7 matched, 0 failed, 0 dangling (accept mode)"], r.OutLines);
        Assert.Equal(good, File.ReadAllText(verified));
        Assert.False(File.Exists(Snap("session_asm-el.asm_jumps.received.txt")));
        Assert.Equal(0, Run("snapshot", asm, kprobe, "--dir", SnapDir, "--check").Code);

        // A verified file for a program the object no longer has is dangling: check fails.
        File.WriteAllText(Snap("session_asm-el.ghost.verified.txt"), "object: session_asm-el.o\nprogram: ghost\n");
        r = Run("snapshot", asm, kprobe, "--dir", SnapDir, "--check");
        Assert.Equal(1, r.Code);
        Assert.Equal(["dangling: session_asm-el.ghost.verified.txt", $"8 snapshot(s) in {SnapDir}: 8 matched, 0 failed, 1 dangling (check mode)", "next step: run the same command with --accept to delete the 1 dangling one(s)"], r.OutLines);

        // A verified file of an object not on the command line is not this run's business.
        r = Run("snapshot", kprobe, "--dir", SnapDir, "--check");
        Assert.Equal(0, r.Code);

        // Accept deletes the dangling file.
        r = Run("snapshot", asm, kprobe, "--dir", SnapDir, "--accept");
        Assert.Equal(0, r.Code);
        Assert.Contains("deleted dangling: session_asm-el.ghost.verified.txt", r.OutLines);
        Assert.False(File.Exists(Snap("session_asm-el.ghost.verified.txt")));
        Assert.Equal(8, SnapNames().Length);
    }

    [Fact]
    public void Program_removed_from_an_object_leaves_a_dangling_snapshot()
    {
        // The same stem for a different object: session_basic's programs are dangling, session_asm's are missing.
        string asOld = CopySample(dir, "session_basic-el.o", "prog.o");
        Assert.Equal(0, Run("snapshot", asOld, "--dir", SnapDir).Code);
        File.Delete(asOld);
        string asNew = CopySample(dir, "session_asm-el.o", "prog.o");
        var r = Run("snapshot", asNew, "--dir", SnapDir, "--check");
        Assert.Equal(1, r.Code);
        Assert.Contains("dangling: prog.unlink_lat.verified.txt", r.OutLines);
        Assert.Contains("missing: prog.c_anchor.verified.txt (received: prog.c_anchor.received.txt)", r.OutLines);
        Assert.Equal($"5 snapshot(s) in {SnapDir}: 0 matched, 5 failed, 5 dangling (check mode)", r.OutLines[^2]);
        Assert.Equal($"next step: review the diffs above; if the change is intended, run the same command with --accept to write the 5 received snapshot(s) into {SnapDir} as verified and delete the 5 dangling one(s)", r.OutLines[^1]);
    }

    [Fact]
    public void Check_without_verified_files_fails_and_writes_received_files()
    {
        string obj = CopySample(dir, "session_subprog-el.o");
        var r = Run("snapshot", obj, "--dir", SnapDir, "--check");
        Assert.Equal(1, r.Code);
        Assert.Contains("missing: session_subprog-el.read_sess.verified.txt (received: session_subprog-el.read_sess.received.txt)", r.OutLines);
        Assert.Contains("+++ b/session_subprog-el.read_sess.verified.txt\n@@ -0,0 +1,", r.Out, StringComparison.Ordinal);
        Assert.Equal(["session_subprog-el.kwrite_sess.received.txt", "session_subprog-el.read_sess.received.txt", "session_subprog-el.write_sess.received.txt"], SnapNames());
    }

    [Fact]
    public void Accept_variable_accepts_without_CI()
    {
        string obj = CopySample(dir, "session_asm-el.o");
        Assert.Equal(0, Run("snapshot", obj, "--dir", SnapDir).Code);
        string verified = Snap("session_asm-el.c_anchor.verified.txt");
        string good = File.ReadAllText(verified);
        File.WriteAllText(verified, "stale\n");

        env.Set("BPFFIXUP_ACCEPT", "1");
        var r = Run("snapshot", obj, "--dir", SnapDir, "--check");
        Assert.Equal(0, r.Code);
        Assert.Equal(["accepted: session_asm-el.c_anchor.verified.txt", $"5 snapshot(s) in {SnapDir}: 4 matched, 0 failed, 0 dangling (accept mode)"], r.OutLines);
        Assert.Equal(good, File.ReadAllText(verified));
    }

    [Fact]
    public void Accept_variable_is_ignored_on_CI()
    {
        string obj = CopySample(dir, "session_asm-el.o");
        Assert.Equal(0, Run("snapshot", obj, "--dir", SnapDir).Code);
        string verified = Snap("session_asm-el.c_anchor.verified.txt");
        File.WriteAllText(verified, "stale\n");

        env.Set("BPFFIXUP_ACCEPT", "1").Set("CI", "true");
        var r = Run("snapshot", obj, "--dir", SnapDir);
        Assert.Equal(1, r.Code);
        Assert.Contains("BPFFIXUP_ACCEPT is ignored because CI is set; use BPFFIXUP_ACCEPT=force to accept on CI.", r.OutLines);
        Assert.Contains("mismatched: session_asm-el.c_anchor.verified.txt (received: session_asm-el.c_anchor.received.txt)", r.OutLines);
        Assert.Equal($"5 snapshot(s) in {SnapDir}: 4 matched, 1 failed, 0 dangling (check mode)", r.OutLines[^2]);
        Assert.Equal("stale\n", File.ReadAllText(verified));

        // On CI a missing snapshot fails instead of being created.
        File.Delete(Snap("session_asm-el.asm_jumps.verified.txt"));
        r = Run("snapshot", obj, "--dir", SnapDir);
        Assert.Equal(1, r.Code);
        Assert.Contains("missing: session_asm-el.asm_jumps.verified.txt (received: session_asm-el.asm_jumps.received.txt)", r.OutLines);
        Assert.False(File.Exists(Snap("session_asm-el.asm_jumps.verified.txt")));

        // An explicit --accept is honoured on CI.
        r = Run("snapshot", obj, "--dir", SnapDir, "--accept");
        Assert.Equal(0, r.Code);
        Assert.True(File.Exists(Snap("session_asm-el.asm_jumps.verified.txt")));
        Assert.DoesNotContain(SnapNames(), n => n.EndsWith(".received.txt", StringComparison.Ordinal));
    }

    [Fact]
    public void Unusable_directory_exits_2_with_a_clear_error_and_writes_nothing()
    {
        string obj = CopySample(dir, "session_asm-el.o");
        string blocker = dir.File("blocker");
        File.WriteAllText(blocker, "x");

        var r = Run("snapshot", obj, "--dir", blocker);
        Assert.Equal(2, r.Code);
        Assert.Equal([$"bpffixup: error: {blocker}: cannot create the snapshot directory: not a directory"], r.ErrLines);

        r = Run("snapshot", obj, "--dir", Path.Combine(blocker, "snaps"), "--accept");
        Assert.Equal(2, r.Code);
        var line = Assert.Single(r.ErrLines);
        Assert.Equal($"bpffixup: error: {Path.Combine(blocker, "snaps")}: cannot create the snapshot directory: not a directory", line);

        Assert.Equal(["blocker", "session_asm-el.o"], dir.Names());
        Assert.Equal("x", File.ReadAllText(blocker));
    }

    [Fact]
    public void Rejected_object_gets_no_snapshot_and_exits_1()
    {
        string bad = CopySample(dir, "session_bad-eb.o");
        string good = CopySample(dir, "no_session-eb.o");
        var r = Run("snapshot", bad, good, "--dir", SnapDir);
        Assert.Equal(1, r.Code);
        Assert.Equal($"bpffixup: error: {bad}: no snapshot: the kernel would reject it (see the errors above)", r.ErrLines[^1]);
        Assert.Equal(Verified("no_session-eb", ["kp_unlink", "tc_mark", "tp_openat", "xdp_count"]), SnapNames());
    }

    [Fact]
    public void Check_and_accept_together_is_a_usage_error()
    {
        var r = Run("snapshot", CopySample(dir, "session_asm-el.o"), "--dir", SnapDir, "--check", "--accept");
        Assert.Equal(2, r.Code);
        Assert.Equal("bpffixup: error: use --check or --accept, not both", r.ErrLines[0]);
        Assert.False(Directory.Exists(SnapDir));
    }

    [Fact]
    public void Abi_is_recorded_and_changes_the_snapshot()
    {
        string obj = CopySample(dir, "session_asm-el.o");
        Assert.Equal(0, Run("snapshot", obj, "--dir", SnapDir).Code);
        var r = Run("snapshot", obj, "--dir", SnapDir, "--check", "--abi", "patch-v9");
        Assert.Equal(1, r.Code);
        Assert.Contains("-abi: linux-7.0\n+abi: patch-v9\n", r.Out, StringComparison.Ordinal);
        Assert.Contains("-    r0 >>= 0x8\n+    r0 >>= 0x9\n", r.Out, StringComparison.Ordinal);
    }
}
