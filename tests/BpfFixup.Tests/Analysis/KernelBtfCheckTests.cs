// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Btf;
using BpfFixup.Diagnostics;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Analysis;

public sealed class KernelBtfCheckTests
{
    /// <summary>A kernel like 7.2 for the samples: both kfuncs take void *ctx; do_unlinkat is gone, filename_unlinkat is there.</summary>
    private static (KernelBtf Kernel, int CookieProto) Kernel72(bool shortFsync = false, bool errorInjection = false)
    {
        var (bytes, cookieProto) = Kernel72Bytes(shortFsync, errorInjection);
        var bag = new DiagnosticBag();
        return (KernelBtf.TryParse(bytes, "vmlinux.btf", bag) ?? throw new InvalidOperationException(string.Join("\n", bag.Items)), cookieProto);
    }

    /// <param name="shortFsync">Declare vfs_fsync_range with one argument instead of its four.</param>
    /// <param name="errorInjection">A kernel with CONFIG_FUNCTION_ERROR_INJECTION (lib/error-inject.c's within_error_injection_list).</param>
    private static (byte[] Bytes, int CookieProto) Kernel72Bytes(bool shortFsync = false, bool errorInjection = false)
    {
        var (b, cookieProto) = Kernel72Builder(shortFsync, errorInjection: errorInjection);
        return (b.Build(), cookieProto);
    }

    /// <param name="shortFsync">Declare vfs_fsync_range with one argument instead of its four.</param>
    /// <param name="kfuncs">Declare the session kfuncs (a module may declare them instead).</param>
    /// <param name="errorInjection">Declare within_error_injection_list (CONFIG_FUNCTION_ERROR_INJECTION).</param>
    private static (KernelBtfBytes Builder, int CookieProto) Kernel72Builder(bool shortFsync = false, bool kfuncs = true, bool errorInjection = false)
    {
        var b = new KernelBtfBytes();
        int @int = b.Int("int", 4);
        int u64 = b.Int("unsigned long long", 8, signed: false);
        int @bool = b.Int("_Bool", 1, signed: false);
        int voidPtr = b.Ptr(0);
        int filename = b.Struct("filename", 16);
        int cookieProto = kfuncs ? b.Proto(b.Ptr(u64), ("ctx", voidPtr)) : 0;
        if (kfuncs)
        {
            b.Func("bpf_session_cookie", cookieProto);
            b.Func("bpf_session_is_return", b.Proto(@bool, ("ctx", voidPtr)));
        }

        int unlinkat = b.Proto(@int, ("dfd", @int), ("name", b.Ptr(filename)));
        b.Func("filename_unlinkat", unlinkat);
        b.Func("__x64_sys_unlinkat", b.Proto(@int, ("regs", voidPtr)));
        b.Func("do_sys_openat2", b.Proto(@int, ("dfd", @int)));
        b.Func("__x64_sys_openat2", b.Proto(@int, ("regs", voidPtr)));
        int loff = b.Int("long long", 8);
        b.Func("vfs_fsync_range", shortFsync ? b.Proto(@int, ("file", voidPtr)) : b.Proto(@int, ("file", voidPtr), ("start", loff), ("end", loff), ("datasync", @int)));
        int ssize = b.Int("long", 8);
        int rw = b.Proto(ssize, ("file", voidPtr), ("buf", b.Ptr(b.Int("char", 1))), ("count", u64), ("pos", b.Ptr(loff)));
        b.Func("vfs_read", rw);
        b.Func("vfs_write", rw);
        b.Func("vfs_unlink", b.Proto(@int, ("dir", voidPtr)));
        b.Func("should_failslab", b.Proto(@int, ("s", voidPtr)));
        b.Func("bpf_fentry_test1", b.Proto(@int, ("a", @int)));
        // btf_trace_sched_switch: typedef void (*)(void *__data, bool preempt, struct task_struct *prev, ...next, unsigned int prev_state).
        b.Typedef("btf_trace_sched_switch", b.Ptr(b.Proto(0, ("__data", voidPtr), ("preempt", @bool), ("prev", voidPtr), ("next", voidPtr), ("prev_state", @int))));
        if (errorInjection)
        {
            b.Func("within_error_injection_list", b.Proto(@bool, ("addr", u64)));
        }

        return (b, cookieProto);
    }

    /// <summary>vmlinux as <see cref="Kernel72Builder"/> builds it, with one module's split BTF on top.</summary>
    private static KernelBtf WithModule(KernelBtfBytes vmlinux, KernelBtfBytes module, string name)
    {
        var bag = new DiagnosticBag();
        return KernelBtf.TryParse(vmlinux.Build(), "vmlinux", bag)?.TryAddModule(module.Build(), name, name, bag)
            ?? throw new InvalidOperationException(string.Join("\n", bag.Items));
    }

    /// <summary>Split BTF on <paramref name="vmlinux"/> with <c>int <paramref name="func"/>(int dfd, struct filename *name)</c>.</summary>
    private static KernelBtfBytes UnlinkModule(KernelBtfBytes vmlinux, string func)
    {
        var m = new KernelBtfBytes(vmlinux);
        int @int = m.Int("int", 4);
        m.Func(func, m.Proto(@int, ("dfd", @int), ("name", m.Ptr(m.Struct("filename", 16)))));
        return m;
    }

    [Fact]
    public void A_function_only_in_a_module_is_found_as_the_attach_target()
    {
        var (b, _) = Kernel72Builder();
        var r = ObjectAnalyzer.Analyze(TestHelpers.LoadSample("session_basic-el.o"), WithModule(b, UnlinkModule(b, "do_unlinkat"), "unlink_mod"));
        Assert.DoesNotContain(r.Diagnostics, d => d.Id == DiagnosticIds.AttachTarget);
        Assert.Empty(Errors(r, "unlink_lat"));
        // The other programs are judged as without the module.
        Assert.Equal("do_sys_openat2 is not sleepable (the syscall's wrapper __x64_sys_openat2 is)", Errors(r, "open_fail").Single().Message);
    }

    [Fact]
    public void A_similar_function_in_a_module_is_suggested_with_its_module()
    {
        var (b, _) = Kernel72Builder();
        var r = ObjectAnalyzer.Analyze(TestHelpers.LoadSample("session_basic-el.o"), WithModule(b, UnlinkModule(b, "mod_unlinkat"), "unlink_mod"));
        var note = r.Diagnostics.Single(d => d.Severity == Severity.Note && d.Id == DiagnosticIds.AttachTarget && d.Program == "unlink_lat");
        Assert.StartsWith("'do_unlinkat' is not in vmlinux, unlink_mod; ", note.Message, StringComparison.Ordinal);
        Assert.Contains("filename_unlinkat (int filename_unlinkat(int dfd, struct filename *name)), mod_unlinkat (int mod_unlinkat(int dfd, struct filename *name)) [unlink_mod]", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kfunc_prototype_in_a_module_is_compared_and_the_module_named()
    {
        var (b, _) = Kernel72Builder(kfuncs: false);
        var m = new KernelBtfBytes(b);
        int voidPtr = m.Ptr(0);
        int cookieProto = m.Proto(m.Ptr(m.Int("unsigned long long", 8, signed: false)), ("ctx", voidPtr));
        m.Func("bpf_session_cookie", cookieProto);
        m.Func("bpf_session_is_return", m.Proto(m.Int("_Bool", 1, signed: false), ("ctx", voidPtr)));
        var kernel = WithModule(b, m, "session_mod");

        var old = ObjectAnalyzer.Analyze(TestHelpers.LoadSample("session_oldproto-el.o"), kernel);
        Assert.All(old.Programs, p => Assert.Equal(
            $"extern (func ksym) 'bpf_session_cookie': func_proto [12] incompatible with session_mod [{cookieProto}]",
            Errors(old, p.Program.Name)[0].Message));
        var basic = ObjectAnalyzer.Analyze(TestHelpers.LoadSample("session_basic-el.o"), kernel);
        Assert.DoesNotContain(basic.Diagnostics, d => d.Id == DiagnosticIds.KernelExtern);
        // Without the module the kfuncs are not there at all.
        var bare = ObjectAnalyzer.Analyze(TestHelpers.LoadSample("session_basic-el.o"), KernelBtf.TryParse(b.Build(), "vmlinux", new DiagnosticBag())!);
        Assert.Contains(bare.Diagnostics, d => d.Id == DiagnosticIds.KernelExtern && d.Message.Contains("not found in kernel or module BTFs", StringComparison.Ordinal));
    }

    private static List<Diagnostic> Errors(AnalysisResult r, string program) =>
        [.. r.Diagnostics.Where(d => d.Severity == Severity.Error && d.Program == program)];

    [Fact]
    public void Zero_argument_kfunc_prototypes_fail_every_program_with_libbpfs_words()
    {
        var (kernel, cookieProto) = Kernel72();
        var r = ObjectAnalyzer.Analyze(TestHelpers.LoadSample("session_oldproto-el.o"), kernel);
        foreach (var p in r.Programs)
        {
            var errors = Errors(r, p.Program.Name);
            Assert.NotEmpty(errors);
            // The object's FUNC_PROTO of bpf_session_cookie is [12] (bpftool btf dump); the kernel's is the one built above.
            Assert.Equal($"extern (func ksym) 'bpf_session_cookie': func_proto [12] incompatible with vmlinux [{cookieProto}]", errors[0].Message);
        }
    }

    [Fact]
    public void Matching_kfunc_prototypes_pass_and_a_missing_target_is_named_with_a_similar_function()
    {
        var (kernel, _) = Kernel72();
        var r = ObjectAnalyzer.Analyze(TestHelpers.LoadSample("session_basic-el.o"), kernel);
        Assert.DoesNotContain(r.Diagnostics, d => d.Id == DiagnosticIds.KernelExtern);
        Assert.Equal("prog 'unlink_lat': failed to find kernel BTF type ID of 'do_unlinkat': -ESRCH", Errors(r, "unlink_lat")[0].Message);
        var note = r.Diagnostics.Single(d => d.Severity == Severity.Note && d.Id == DiagnosticIds.AttachTarget && d.Program == "unlink_lat");
        Assert.Contains("filename_unlinkat (int filename_unlinkat(int dfd, struct filename *name))", note.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("__x64_sys_unlinkat", note.Message, StringComparison.Ordinal);
        Assert.Equal("do_sys_openat2 is not sleepable (the syscall's wrapper __x64_sys_openat2 is)", Errors(r, "open_fail").Single().Message);
        Assert.Empty(Errors(r, "fsync_count"));
    }

    [Fact]
    public void Without_the_kernel_btf_the_analysis_is_unchanged()
    {
        var obj = TestHelpers.LoadSample("session_basic-el.o");
        var (kernel, _) = Kernel72();
        var plain = ObjectAnalyzer.Analyze(obj).Diagnostics;
        var with = ObjectAnalyzer.Analyze(obj, kernel).Diagnostics;
        Assert.DoesNotContain(plain, d => d.Id is DiagnosticIds.KernelExtern or DiagnosticIds.AttachTarget or DiagnosticIds.NotSleepable or DiagnosticIds.CtxArgument);
        Assert.Equal(plain, with.Where(d => d.Id is not (DiagnosticIds.KernelExtern or DiagnosticIds.AttachTarget or DiagnosticIds.NotSleepable or DiagnosticIds.CtxArgument)));
    }

    [Fact]
    public void A_read_past_the_targets_arguments_is_refused_where_the_verifier_refuses_it()
    {
        // fsync_count reads datasync (ctx + 24) and the return value (ctx + 32) of vfs_fsync_range(file, start, end, datasync).
        var (kernel, _) = Kernel72(shortFsync: true);
        var r = ObjectAnalyzer.Analyze(TestHelpers.LoadSample("session_basic-el.o"), kernel);
        var error = Errors(r, "fsync_count").Single();
        // btf_ctx_arg_idx: one pointer slot, the int return value's slot, then nr_args + 1.
        Assert.Equal("func 'vfs_fsync_range' doesn't have 3-th argument", error.Message);
        var note = r.Diagnostics.Single(d => d.Id == DiagnosticIds.CtxArgument && d.Severity == Severity.Note);
        Assert.Equal(error.Index, note.Index);
        Assert.StartsWith("invalid bpf_context access off=", note.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 8, null)]
    [InlineData(8, 8, null)] // the return value's slot: fexit and fsession may read it
    [InlineData(16, 8, "func 'f' doesn't have 3-th argument")]
    [InlineData(4, 4, "func 'f' offset 4 is not multiple of 8")]
    [InlineData(0, 4, "func 'f' size 4 must be 8")]
    [InlineData(96, 8, "")]
    [InlineData(-8, 8, "")]
    public void Ctx_loads_follow_btf_ctx_access(int off, int size, string? cause)
    {
        var b = new KernelBtfBytes();
        int @int = b.Int("int", 4);
        b.Func("f", b.Proto(@int, ("p", b.Ptr(@int))));
        var kernel = KernelBtf.TryParse(b.Build(), "k", new DiagnosticBag())!;
        var verdict = CtxArgumentRules.Judge(kernel.Types, kernel.Types.FindFunc("f")!, BpfFixup.Model.AttachType.TraceFsession, off, size);
        if (cause is null)
        {
            Assert.Null(verdict);
            return;
        }

        Assert.NotNull(verdict);
        Assert.Equal(cause.Length == 0 ? null : cause, verdict.Value.Cause);
        Assert.Equal($"invalid bpf_context access off={off} size={size}", verdict.Value.Invalid);
        var fentry = CtxArgumentRules.Judge(kernel.Types, kernel.Types.FindFunc("f")!, BpfFixup.Model.AttachType.TraceFentry, 8, 8);
        Assert.Equal("func 'f' doesn't have 2-th argument", fentry!.Value.Cause);
    }

    [Theory]
    [InlineData("__x64_sys_openat2", false, null)]
    [InlineData("should_failslab", false, "should_failslab is not sleepable")]
    [InlineData("do_sys_openat2", false, "do_sys_openat2 is not sleepable (the syscall's wrapper __x64_sys_openat2 is)")]
    [InlineData("vfs_read", false, "vfs_read is not sleepable")]
    [InlineData("bpf_fentry_test1", false, null)]
    [InlineData("__x64_sys_openat2", true, null)]
    [InlineData("should_failslab", true, "should_failslab is not sleepable")]
    [InlineData("do_sys_openat2", true, "cannot tell whether do_sys_openat2 is sleepable")]
    [InlineData("vfs_read", true, "cannot tell whether vfs_read is sleepable")]
    [InlineData("bpf_fentry_test1", true, null)]
    public void Sleepable_targets_follow_bpf_check_attach_target(string target, bool errorInjection, string? words)
    {
        // Without CONFIG_FUNCTION_ERROR_INJECTION has_arch_syscall_prefix decides everything; with it, the
        // error-injection list (not in BTF) decides all but the deny set and the syscall wrappers.
        var (kernel, _) = Kernel72(errorInjection: errorInjection);
        var verdict = Sleepable.Judge(kernel.Types, kernel.Types.FindFunc(target)!);
        if (words is null)
        {
            Assert.Null(verdict);
            return;
        }

        Assert.NotNull(verdict);
        Assert.StartsWith(words, verdict.Value.Message, StringComparison.Ordinal);
        Assert.Equal(words.StartsWith("cannot tell", StringComparison.Ordinal) ? Severity.Warning : Severity.Error, verdict.Value.Severity);
    }

    [Fact]
    public void Sleepable_on_a_kernel_without_known_syscall_wrappers_cannot_tell()
    {
        var b = new KernelBtfBytes();
        int @int = b.Int("int", 4);
        b.Func("vfs_read", b.Proto(@int, ("fd", @int)));
        var bag = new DiagnosticBag();
        var kernel = KernelBtf.TryParse(b.Build(), "k.btf", bag)!;
        var verdict = Sleepable.Judge(kernel.Types, kernel.Types.FindFunc("vfs_read")!);
        Assert.Equal(Severity.Warning, verdict!.Value.Severity);
        Assert.StartsWith("cannot tell whether vfs_read is sleepable", verdict.Value.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tracepoint_arguments_come_from_the_btf_trace_typedef_less_its_data_pointer()
    {
        var (kernel, _) = Kernel72();
        Assert.Equal(4, kernel.RawTracepointArgs("sched_switch"));
        Assert.Null(kernel.RawTracepointArgs("sched_wakeup"));
    }

    [Fact]
    public void A_truncated_kernel_btf_is_one_error_naming_the_file()
    {
        var bytes = new KernelBtfBytes();
        bytes.Int("int", 4);
        var data = bytes.Build();
        var bag = new DiagnosticBag();
        Assert.Null(KernelBtf.TryParse(data[..(data.Length - 10)], "k.btf", bag));
        var d = Assert.Single(bag.Items);
        Assert.Equal("k.btf", d.File);
        Assert.Contains("exceeds the section", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_takes_the_kernel_btf_option()
    {
        using var dir = new TempDirectory();
        string good = dir.File("vmlinux.btf");
        File.WriteAllBytes(good, Kernel72Bytes().Bytes);
        var plain = CliRun.Run("check", TestPaths.Sample("session_basic-el.o"));
        Assert.Equal(0, plain.Code);
        var judged = CliRun.Run("check", "--kernel-btf", good, TestPaths.Sample("session_basic-el.o"));
        Assert.Equal(1, judged.Code);
        // A finding about the whole program points at its first source line, the object position after the id.
        string sleepLine = Assert.Single(judged.OutLines, l => l.Contains(": error: do_sys_openat2 is not sleepable", StringComparison.Ordinal));
        Assert.StartsWith("./src/session_basic.bpf.c:", sleepLine, StringComparison.Ordinal);
        Assert.EndsWith("[BPF3024] (" + TestPaths.Sample("session_basic-el.o") + ":fsession.s/do_sys_openat2/open_fail)", sleepLine, StringComparison.Ordinal);

        // patch and snapshot refuse the object as check does, and write nothing.
        string output = dir.File("out.o");
        var patch = CliRun.Run("patch", "--kernel-btf", good, TestPaths.Sample("session_basic-el.o"), "-o", output);
        Assert.Equal(1, patch.Code);
        Assert.Contains("do_sys_openat2 is not sleepable", patch.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        var snapshot = CliRun.Run("snapshot", "--kernel-btf", good, TestPaths.Sample("session_basic-el.o"), "--dir", dir.File("snaps"));
        Assert.Equal(1, snapshot.Code);
        Assert.Contains("do_sys_openat2 is not sleepable", snapshot.Err, StringComparison.Ordinal);
        Assert.Equal(0, CliRun.Run("patch", "--kernel-btf", good, TestPaths.Sample("session_subprog-el.o"), "-o", output).Code);

        // Repeated: vmlinux, then a module that has do_unlinkat.
        var (b, _) = Kernel72Builder();
        string module = dir.File("unlink_mod");
        File.WriteAllBytes(module, UnlinkModule(b, "do_unlinkat").Build());
        var split = CliRun.Run("check", "--kernel-btf", good, "--kernel-btf", module, TestPaths.Sample("session_basic-el.o"));
        Assert.Equal(1, split.Code);
        Assert.DoesNotContain("kernel BTF type ID of 'do_unlinkat'", split.Err + split.Out, StringComparison.Ordinal);
        Assert.Contains("kernel BTF type ID of 'do_unlinkat'", judged.Err + judged.Out, StringComparison.Ordinal);
        Assert.Contains("do_sys_openat2 is not sleepable", split.Err + split.Out, StringComparison.Ordinal);
        var first = CliRun.Run("check", "--kernel-btf", module, "--kernel-btf", good, TestPaths.Sample("session_basic-el.o"));
        Assert.Equal(2, first.Code);
        var line = Assert.Single(first.ErrLines);
        Assert.StartsWith($"bpffixup: error: {module}", line, StringComparison.Ordinal);
        Assert.Contains("give vmlinux's BTF first", line, StringComparison.Ordinal);
        Assert.Empty(first.Out);

        string bad = dir.File("not-btf");
        File.WriteAllBytes(bad, [1, 2, 3]);
        var r = CliRun.Run("check", "--kernel-btf", bad, TestPaths.Sample("session_basic-el.o"));
        Assert.Equal(2, r.Code);
        Assert.Single(r.ErrLines);
        Assert.Contains("BTF header", r.Err, StringComparison.Ordinal);
    }
}
