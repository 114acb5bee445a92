// SPDX-License-Identifier: MIT
using System.Text.Json;
using BpfFixup.Tests.TestKit;
using static BpfFixup.Tests.TestKit.CliRun;

namespace BpfFixup.Tests.Cli;

public sealed class CheckCommandTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Clean_object_exits_0_and_reports_ok()
    {
        string obj = CopySample(dir, "session_basic-el.o");
        var r = Run("check", obj);
        Assert.Equal(0, r.Code);
        Assert.Equal(string.Empty, r.Err);
        Assert.Contains($"{obj}: 5 program(s), 5 session call site(s), ABI linux-7.0, ok\n", r.Out, StringComparison.Ordinal);
        Assert.Contains("    fsession/do_unlinkat/unlink_lat+5 bpf_session_cookie: inline (R1=ctx): fsession: inlined by the kernel's fixup_kfunc_call\n", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_object_exits_1_with_the_kernel_wording()
    {
        string obj = CopySample(dir, "session_bad-el.o");
        var r = Run("check", obj);
        Assert.Equal(1, r.Code);
        Assert.Equal(string.Empty, r.Err);
        string[] expected =
        [
            $"./src/session_bad.bpf.c:47:6: error: calling kernel function bpf_session_is_return is not allowed [BPF3010] ({obj}:fentry/do_unlinkat/bad_fentry_is_return+0)",
            "   47 | \tif (bpf_session_is_return(ctx))",
            "      | \t    ^",
            "hint: bpf_session_is_return and bpf_session_cookie work only in fsession and kprobe/uprobe.session programs: use SEC(\"fsession/...\")",
            $"./src/session_bad.bpf.c:73:18: error: R1 expected pointer to ctx, but got fp [BPF3011] ({obj}:fsession/do_rmdir/bad_stack_ptr+10)",
            "   73 | \t__u64 *cookie = bpf_session_cookie(fake);",
            "      | \t                ^",
        ];
        Assert.Equal(expected, r.OutLines[..7]);
        Assert.Equal(
            [
                $"./src/session_bad.bpf.c:73:18: error: R1 expected pointer to ctx, but got fp [BPF3011] ({obj}:fsession/do_rmdir/bad_stack_ptr+10)",
                $"./src/session_bad.bpf.c:63:6: error: dereference of modified ctx ptr R1 off=8 disallowed [BPF3012] ({obj}:fsession/do_unlinkat/bad_ctx_plus_8+1)",
                $"./src/session_bad.bpf.c:88:6: error: R1 expected pointer to ctx, but got map_value [BPF3011] ({obj}:fsession/vfs_unlink/bad_map_value+10)",
            ],
            r.OutLines.Where(l => l.StartsWith("./src/", StringComparison.Ordinal)).Skip(1));
        Assert.Equal(4, r.OutLines.Count(l => l.StartsWith("hint: ", StringComparison.Ordinal)));
        Assert.Contains($"{obj}: 4 program(s), 4 session call site(s), ABI linux-7.0, REJECTED", r.OutLines);
    }

    [Fact]
    public void Old_prototype_object_exits_1_with_read_ok_and_scalar_errors()
    {
        string obj = CopySample(dir, "session_oldproto-el.o");
        var r = Run("check", obj);
        Assert.Equal(1, r.Code);
        var lines = r.OutLines;
        Assert.Contains($"./src/session_oldproto.bpf.c:43:18: error: R1 !read_ok [BPF3013] ({obj}:fsession/do_rmdir/old_after_helper+2)", lines);
        Assert.Contains($"./src/session_oldproto.bpf.c:64:11: error: R1 expected pointer to ctx, but got scalar [BPF3011] ({obj}:fsession/vfs_unlink/old_r1_scratch+9)", lines);
        Assert.Contains("    fsession/do_unlinkat/old_first_call+0 bpf_session_is_return: inline (R1=ctx): fsession: inlined by the kernel's fixup_kfunc_call", lines);
        Assert.Single(lines, l => l.StartsWith($"{obj}: note: bpf_session_cookie is declared with no arguments", StringComparison.Ordinal));
    }

    [Fact]
    public void One_bad_object_among_good_ones_exits_1_and_reports_all()
    {
        string good = CopySample(dir, "session_subprog-eb.o");
        string bad = CopySample(dir, "session_bad-eb.o");
        var r = Run("check", good, bad);
        Assert.Equal(1, r.Code);
        Assert.Contains($"{good}: 3 program(s), 4 session call site(s), ABI linux-7.0, ok\n", r.Out, StringComparison.Ordinal);
        Assert.Contains($"{bad}: 4 program(s), 4 session call site(s), ABI linux-7.0, REJECTED\n", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_input_exits_2_with_one_line_and_no_report()
    {
        string good = CopySample(dir, "session_basic-el.o");
        string missing = dir.File("missing.o");
        var r = Run("check", good, missing);
        Assert.Equal(2, r.Code);
        Assert.Equal(string.Empty, r.Out);
        Assert.Equal([$"bpffixup: error: {missing}: file at 0x0: cannot read: no such file or directory"], r.ErrLines);
    }

    [Fact]
    public void Empty_program_is_reported_as_a_malformed_symbol()
    {
        string obj = CopyTestData(dir, "empty_prog.o");
        var r = Run("check", obj);
        Assert.Equal(1, r.Code);
        Assert.Equal(
            [
                $"{obj}:xdp: error: FUNC symbol 'empty_prog' (st_value 0x0, st_size 0x0) does not start at an instruction inside the section or crosses its end [BPF2005]",
                "hint: the object's tables do not fit its code: rebuild it (or relink it with bpftool gen object)",
                $"{obj}: 1 program(s), 0 session call site(s), ABI linux-7.0, REJECTED",
                "  tc tc_prog [sched_cls/none]",
            ],
            r.OutLines);
    }

    [Fact]
    public void Abi_option_is_named_in_the_report_and_unknown_abi_exits_2()
    {
        string obj = CopySample(dir, "session_basic-el.o");
        var r = Run("check", "--abi", "patch-v9", obj);
        Assert.Equal(0, r.Code);
        Assert.Contains("ABI patch-v9, ok", r.Out, StringComparison.Ordinal);

        r = Run("check", "--abi", "linux-6.0", obj);
        Assert.Equal(2, r.Code);
        Assert.Equal(string.Empty, r.Out);
        Assert.StartsWith("bpffixup: error: ", r.ErrLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Json_has_objects_programs_and_diagnostics_with_locations()
    {
        string bad = CopySample(dir, "session_bad-el.o");
        string good = CopySample(dir, "session_subprog-el.o");
        var r = Run("check", "--format", "json", bad, good);
        Assert.Equal(1, r.Code);
        using var doc = JsonDocument.Parse(r.Out);
        var objects = doc.RootElement.GetProperty("objects");
        Assert.Equal(2, objects.GetArrayLength());

        var first = objects[0];
        Assert.Equal(bad, first.GetProperty("file").GetString());
        Assert.Equal(4, first.GetProperty("programs").GetArrayLength());
        var diags = first.GetProperty("diagnostics").EnumerateArray().ToList();
        Assert.Equal(4, diags.Count);
        var d = diags.Single(x => x.GetProperty("function").GetString() == "bad_ctx_plus_8");
        Assert.Equal("BPF3012", d.GetProperty("id").GetString());
        Assert.Equal("error", d.GetProperty("severity").GetString());
        Assert.Equal("dereference of modified ctx ptr R1 off=8 disallowed", d.GetProperty("message").GetString());
        Assert.Equal("fsession/do_unlinkat", d.GetProperty("section").GetString());
        Assert.Equal(1, d.GetProperty("index").GetInt32());
        Assert.False(d.TryGetProperty("file", out _));
        var source = d.GetProperty("source");
        Assert.Equal("./src/session_bad.bpf.c", source.GetProperty("path").GetString());
        Assert.Equal(63, source.GetProperty("line").GetInt32());
        Assert.Equal(6, source.GetProperty("column").GetInt32());
        Assert.Equal(1, doc.RootElement.GetProperty("schemaVersion").GetInt32());

        var second = objects[1];
        Assert.Equal(0, second.GetProperty("diagnostics").GetArrayLength());
        var read = second.GetProperty("programs").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "read_sess");
        Assert.Equal("fsession/vfs_read", read.GetProperty("section").GetString());
        Assert.Equal(3, read.GetProperty("callSites").GetArrayLength());
    }

    [Fact]
    public void Sarif_is_2_1_0_with_one_result_per_error()
    {
        string bad = CopySample(dir, "session_bad-el.o");
        var r = Run("check", "--format", "sarif", bad);
        Assert.Equal(1, r.Code);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal("2.1.0", doc.RootElement.GetProperty("version").GetString());
        var run = Assert.Single(doc.RootElement.GetProperty("runs").EnumerateArray());
        var driver = run.GetProperty("tool").GetProperty("driver");
        Assert.Equal("bpffixup", driver.GetProperty("name").GetString());
        var ruleIds = driver.GetProperty("rules").EnumerateArray().Select(x => x.GetProperty("id").GetString()).ToList();
        Assert.Equal(["BPF3010", "BPF3011", "BPF3012"], ruleIds);

        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(4, results.Count);
        foreach (var result in results)
        {
            Assert.Contains(result.GetProperty("ruleId").GetString(), ruleIds);
            Assert.Equal("error", result.GetProperty("level").GetString());
            var location = Assert.Single(result.GetProperty("locations").EnumerateArray());
            var physical = location.GetProperty("physicalLocation");
            Assert.Equal("src/session_bad.bpf.c", physical.GetProperty("artifactLocation").GetProperty("uri").GetString());
            Assert.True(physical.GetProperty("region").GetProperty("startLine").GetInt32() > 0);
        }

        var map = results.Single(x => x.GetProperty("message").GetProperty("text").GetString()!.EndsWith("but got map_value", StringComparison.Ordinal));
        Assert.Equal(88, map.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32());
    }

    [Fact]
    public void Sarif_of_a_clean_object_has_no_results_and_exits_0()
    {
        var r = Run("check", "--format", "sarif", CopySample(dir, "session_kprobe-el.o"));
        Assert.Equal(0, r.Code);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(0, doc.RootElement.GetProperty("runs")[0].GetProperty("results").GetArrayLength());
    }

    [Fact]
    public void Sarif_with_a_bad_input_is_a_valid_log_that_records_it_and_exits_2()
    {
        string bad = CopySample(dir, "session_bad-el.o");
        string junk = dir.File("junk.o");
        File.WriteAllText(junk, "not ELF");
        var r = Run("check", "--format", "sarif", bad, junk);
        Assert.Equal(2, r.Code);
        Assert.Equal([$"bpffixup: error: {junk}: ELF header at 0x0: not an ELF file (bad magic)"], r.ErrLines);
        using var doc = JsonDocument.Parse(r.Out);
        var run = doc.RootElement.GetProperty("runs")[0];
        Assert.Equal(4, run.GetProperty("results").GetArrayLength());
        var invocation = run.GetProperty("invocations")[0];
        Assert.False(invocation.GetProperty("executionSuccessful").GetBoolean());
        var note = Assert.Single(invocation.GetProperty("toolExecutionNotifications").EnumerateArray());
        Assert.Equal("BPF1001", note.GetProperty("descriptor").GetProperty("id").GetString());
        Assert.Equal("file://" + junk, note.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
    }

    [Fact]
    public void Sarif_source_root_makes_uris_relative_to_srcroot()
    {
        string bad = CopySample(dir, "session_bad-el.o");
        var r = Run("check", "--format", "sarif", "--source-root", dir.Path, bad);
        Assert.Equal(1, r.Code);
        using var doc = JsonDocument.Parse(r.Out);
        var run = doc.RootElement.GetProperty("runs")[0];
        Assert.Equal("file://" + dir.Path + "/", run.GetProperty("originalUriBaseIds").GetProperty("SRCROOT").GetProperty("uri").GetString());
        var artifact = run.GetProperty("results")[0].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation");
        Assert.Equal("src/session_bad.bpf.c", artifact.GetProperty("uri").GetString());
        Assert.Equal("SRCROOT", artifact.GetProperty("uriBaseId").GetString());
        Assert.Equal(2, Run("check", "--format", "sarif", "--source-root", string.Empty, bad).Code);
    }

    [Fact]
    public void Unknown_format_exits_2()
    {
        var r = Run("check", "--format", "xml", CopySample(dir, "session_basic-el.o"));
        Assert.Equal(2, r.Code);
        Assert.Equal(string.Empty, r.Out);
    }

    [Fact]
    public void Text_report_of_session_bad() => SnapshotAssert.Match(TextReport("session_bad-el.o", expectedCode: 1));

    [Fact]
    public void Text_report_of_session_subprog() => SnapshotAssert.Match(TextReport("session_subprog-el.o", expectedCode: 0));

    /// <summary>The check report with the temp directory taken out of file names, so the snapshot is stable.</summary>
    private string TextReport(string sample, int expectedCode)
    {
        var r = Run("check", CopySample(dir, sample));
        Assert.Equal(expectedCode, r.Code);
        Assert.Equal(string.Empty, r.Err);
        return r.Out.Replace(dir.Path + Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal);
    }
}
