// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using Xunit.Abstractions;

namespace BpfFixup.Tests.Kernel;

/// <summary>
/// The kernel tier: BpfFixup against a real Linux 7.2 (Debian sid's kernel, bpftool 7.8, libbpf 1.7, booted once
/// under QEMU by tests/kernel/run.sh). Known disagreements are asserted to hold (TestData/Kernel/known-disagreements.txt).
/// </summary>
[Collection(KernelCollection.Name)]
[Trait("Category", "Kernel")]
public sealed class KernelTierTests(KernelRecordFixture fixture, ITestOutputHelper output)
{
    private KernelRecord Record => fixture.Record;

    [KernelFact]
    public void The_record_is_from_linux_7_2_with_bpftool_7_8()
    {
        Assert.StartsWith("7.2.", Record.KernelRelease, StringComparison.Ordinal);
        Assert.Contains("bpftool v7.8", Record.BpftoolVersion, StringComparison.Ordinal);
        var expected = TestPaths.AllSamples().Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, Record.Objects.Keys.Order(StringComparer.Ordinal).ToList());
        foreach (string name in KernelRows.LoadableSamples())
        {
            var libbpf = Record.Objects[name].Programs.Select(p => p.Name);
            var ours = ProductRun.Of(name).Analysis.Programs.Select(p => p.Program.Name);
            Assert.True(libbpf.SequenceEqual(ours), $"{name}: libbpf's programs {string.Join(", ", libbpf)}; BpfFixup's {string.Join(", ", ours)}");
        }

        output.WriteLine($"record {Record.Directory}: Linux {Record.KernelRelease}, {Record.BpftoolVersion.Split('\n')[0]}, {Record.Objects.Count} objects");
    }

    /// <summary>1. The verdict of <c>check</c> equals the kernel's, program by program.</summary>
    [KernelTheory]
    [MemberData(nameof(KernelRows.Programs), MemberType = typeof(KernelRows))]
    public void Check_verdict_equals_the_kernels(string objectName, string program)
    {
        var kernel = Record.Program(objectName, program);
        var run = ProductRun.Of(objectName);
        bool accepts = run.Accepts(program);
        string kernelSays = kernel.Loaded ? "accepts" : $"rejects: {kernel.FirstErrorLine}";
        string productSays = accepts ? "accepts" : "rejects: " + string.Join(" | ", run.Errors(program).Select(d => d.Message));
        if (KnownDisagreements.Find(DisagreementKind.Verdict, objectName, program) is { } known)
        {
            Assert.True(accepts != kernel.Loaded, $"{objectName} {program}: BpfFixup and Linux 7.2 now agree ({kernelSays}); remove {known}");
            Assert.Contains(known.KernelWords, kernel.FirstErrorLine ?? string.Empty, StringComparison.Ordinal);
            return;
        }

        Assert.True(accepts == kernel.Loaded, $"{objectName} {program}: Linux 7.2 {kernelSays}; check {productSays}");
    }

    /// <summary>2. Where both reject, the kernel's first error line appears verbatim in BpfFixup's diagnostic.</summary>
    [KernelTheory]
    [MemberData(nameof(KernelRows.Rejected), MemberType = typeof(KernelRows))]
    public void Kernel_first_error_line_is_in_the_diagnostic(string objectName, string program)
    {
        var kernel = Record.Program(objectName, program);
        var errors = ProductRun.Of(objectName).Errors(program);
        if (kernel.Loaded)
        {
            RequireVerdictEntry(objectName, program, kernel);
            return;
        }

        string first = kernel.FirstErrorLine!;
        bool found = errors.Any(d => d.Message.Contains(first, StringComparison.Ordinal));
        string product = string.Join("\n  ", errors.Select(d => d.Message));
        if (KnownDisagreements.Find(DisagreementKind.Wording, objectName, program) is { } known)
        {
            Assert.False(found, $"{objectName} {program}: BpfFixup now says the kernel's words '{first}'; remove {known}");
            Assert.Contains(known.KernelWords, first, StringComparison.Ordinal);
            return;
        }

        Assert.True(found, $"{objectName} {program}: the kernel's first error line\n  {first}\nis not in BpfFixup's diagnostics:\n  {product}");

        // The text line (gcc's form, Diagnostic.ToString) keeps the kernel's words in its message part.
        var line = errors.First(d => d.Message.Contains(first, StringComparison.Ordinal)).ToString();
        int message = line.IndexOf(": error: ", StringComparison.Ordinal);
        Assert.True(message >= 0 && line.IndexOf(first, message, StringComparison.Ordinal) > message, $"{objectName} {program}: the text line does not carry the kernel's words after 'error:': {line}");
    }

    /// <summary>3. At every session-kfunc site the kernel's instruction bytes equal the patched object's; each kept call is kept by both.</summary>
    [KernelTheory]
    [MemberData(nameof(KernelRows.AcceptedWithSites), MemberType = typeof(KernelRows))]
    public void Session_sites_equal_the_kernels(string objectName, string program)
    {
        if (CompareStreams(objectName, program) is not { } compared)
        {
            return;
        }

        var (run, linked, comparison) = compared;

        Assert.True(comparison.Steps.Count > 0, $"{objectName} {program}: {string.Join("; ", comparison.Problems)}\n{comparison.Listing}");

        var report = run.Analysis.Programs.Single(p => p.Program.Name == program);
        // fixup_kfunc_call (kernel/bpf/verifier.c): is_return inlines to 3 instructions, cookie to 6.
        int inlineLength = report.Sites.Where(s => s.Action == SiteAction.Inline).Sum(s => s.Site.Kfunc == BpfFixup.Model.SessionKfunc.IsReturn ? 3 : 6);
        int keptSites = report.Sites.Count(s => s.Action == SiteAction.Keep);
        int inlinedInsns = 0, kept = 0;
        var problems = new List<string>();
        foreach (var step in comparison.Steps)
        {
            var x = linked.Instructions[step.Linked];
            if (x.InlinedKfunc is not null)
            {
                inlinedInsns++;
                if (step.Rewrite != KernelRewrite.None || step.KernelCount != 1)
                {
                    problems.Add($"{x.Where} ({x.InlinedKfunc} inline): the kernel has {step.Rewrite} there");
                }
            }

            if (x.KeptKfunc is not null)
            {
                kept++;
                if (step.Rewrite != KernelRewrite.KfuncAddress)
                {
                    problems.Add($"{x.Where} ({x.KeptKfunc} kept): the kernel has {step.Rewrite} there, not the kfunc call");
                }
            }
        }

        Assert.True(problems.Count == 0, $"{objectName} {program}:\n  {string.Join("\n  ", problems)}\n{comparison.Listing}");
        Assert.True(inlineLength == inlinedInsns, $"{objectName} {program}: the inline verdicts make {inlineLength} instructions, the linked program has {inlinedInsns}");
        Assert.True(kept == keptSites, $"{objectName} {program}: {keptSites} kept verdicts, {kept} kept calls in the linked program");
        output.WriteLine($"{objectName} {program}: {inlinedInsns} inlined instructions and {kept} kept calls equal the kernel's");
    }

    /// <summary>4. The whole xlated stream of each accepted program equals the patched program after the normaliser.</summary>
    [KernelTheory]
    [MemberData(nameof(KernelRows.Accepted), MemberType = typeof(KernelRows))]
    public void Xlated_stream_equals_the_patched_program(string objectName, string program)
    {
        if (CompareStreams(objectName, program) is not { } compared)
        {
            return;
        }

        var (_, linked, comparison) = compared;

        Assert.True(comparison.Problems.Count == 0, $"{objectName} {program}:\n  {string.Join("\n  ", comparison.Problems)}\n{comparison.Listing}");
        output.WriteLine($"{objectName} {program}: {linked.Instructions.Count} instructions; normalised: " +
            string.Join(", ", comparison.RewriteCounts.Where(kv => kv.Key != KernelRewrite.None).Select(kv => $"{kv.Key} {kv.Value}")));
    }

    /// <summary>
    /// 4b. With <c>--kernel-inlines</c> the patched program already holds the tracing helper inlines of do_misc_fixups:
    /// the xlated stream equals it with the normaliser's tracing-helper step turned off (the map, address and jump
    /// normalisations that need the running kernel stay), and no call of those helpers is left in a tracing program but
    /// the tp_btf forms of get_func_arg and get_func_arg_cnt, which need the tracepoint's BTF.
    /// </summary>
    [KernelTheory]
    [MemberData(nameof(KernelRows.Accepted), MemberType = typeof(KernelRows))]
    public void Xlated_stream_equals_the_program_patched_with_kernel_inlines(string objectName, string program)
    {
        var kernel = Record.Program(objectName, program);
        if (!kernel.Loaded)
        {
            RequireVerdictEntry(objectName, program, kernel);
            return;
        }

        var run = ProductRun.Of(objectName);
        var patch = run.KernelInlinesPatch;
        var linked = LinkedProgram.Build(run.PatchedObject(patch), program, patch.Rewrite!.Inlined);
        // The tp_btf forms of get_func_arg and get_func_arg_cnt need the tracepoint's BTF: kept without --kernel-btf
        // (KernelBtfTierTests compares them inlined).
        var comparison = XlatedNormaliser.Compare(linked, kernel.Xlated, tracingHelperInlines: false, rawTpHelperInlines: true);
        Assert.True(comparison.Problems.Count == 0, $"{objectName} {program} (--kernel-inlines):\n  {string.Join("\n  ", comparison.Problems)}\n{comparison.Listing}");

        int[] tracingHelpers = [.. BpfFixup.Rewrite.KernelAbi.TracingHelperInlines.Select(t => t.HelperId).Distinct()];
        bool rawTp = linked.AttachType == BpfFixup.Model.AttachType.TraceRawTp;
        var left = linked.Instructions.Where(x => x.Kind == LinkedKind.HelperCall && tracingHelpers.Contains(x.Insn.Imm) && !(rawTp && x.Insn.Imm is 183 or 185)).ToList();
        bool tracing = linked.ProgramType == BpfFixup.Model.ProgramType.Tracing;
        Assert.True(!tracing || left.Count == 0, $"{objectName} {program}: --kernel-inlines left {string.Join(", ", left.Select(x => x.Where))}");
        output.WriteLine($"{objectName} {program} (--kernel-inlines): {linked.Instructions.Count} instructions; normalised: " +
            string.Join(", ", comparison.RewriteCounts.Where(kv => kv.Key != KernelRewrite.None).Select(kv => $"{kv.Key} {kv.Value}")));
    }

    /// <summary>4c. The step 4b turns off is needed without the option: sess_test1's four func_* helper calls are inlined by the kernel only.</summary>
    [KernelFact]
    public void Without_kernel_inlines_the_normaliser_undoes_the_helper_inlines_of_sess_test1()
    {
        var kernel = Record.Program("session_runtime-el.o", "sess_test1");
        Assert.True(kernel.Loaded, kernel.FirstErrorLine);
        var run = ProductRun.Of("session_runtime-el.o");
        var plain = XlatedNormaliser.Compare(LinkedProgram.Build(run.PatchedObject(), "sess_test1", run.Patch.Rewrite!.Inlined), kernel.Xlated);
        Assert.Empty(plain.Problems);
        Assert.Equal(4, plain.RewriteCounts.GetValueOrDefault(KernelRewrite.HelperInlined));
        var strict = XlatedNormaliser.Compare(LinkedProgram.Build(run.PatchedObject(), "sess_test1", run.Patch.Rewrite!.Inlined), kernel.Xlated, tracingHelperInlines: false);
        Assert.NotEmpty(strict.Problems);
        Assert.Equal(4, run.KernelInlinesPatch.Rewrite!.Summary!.HelpersInlined);
        Assert.Equal(0, run.KernelInlinesPatch.Rewrite!.Summary!.HelpersKept);
    }

    /// <summary>5. samples/src/session_runtime.bpf.c attached to bpf_fentry_test1 and triggered by BPF_PROG_TEST_RUN.</summary>
    [KernelFact]
    public void Fsession_on_bpf_fentry_test1_runs_at_entry_and_exit_with_the_cookie()
    {
        const ulong unset = ulong.MaxValue;
        var kernel = Record.Program("session_runtime-el.o", "sess_test1");
        Assert.True(kernel.Loaded, kernel.FirstErrorLine);
        var run = kernel.Run;
        Assert.True(run is { Attached: true }, "sess_test1 was not attached: " + kernel.Libbpf);
        Assert.NotEmpty(run!.Runs);
        Assert.All(run.Runs, r => Assert.Equal(new KernelTestRun(0, 0), r));
        ulong triggers = (ulong)run.Runs.Count;

        // Entry and exit both run once per trigger.
        Assert.Equal(triggers, run.U64("entry_runs"));
        Assert.Equal(triggers, run.U64("exit_runs"));
        // bpf_session_is_return is 0 at entry, 1 at exit.
        Assert.Equal(0UL, run.U64("entry_is_return"));
        Assert.Equal(1UL, run.U64("exit_is_return"));
        // The value the entry run stored through bpf_session_cookie is what the exit run reads (the last trigger's).
        Assert.Equal(0x5e55000000000000UL | triggers, run.U64("cookie_at_exit"));
        // bpf_get_func_arg(ctx, 0) is bpf_fentry_test1's a = 1 at both ends; bpf_get_func_ret is 0 at entry, a + 1 at exit.
        Assert.Equal(1UL, run.U64("arg0_at_entry"));
        Assert.Equal(1UL, run.U64("arg0_at_exit"));
        Assert.Equal(0UL, run.U64("ret_at_entry"));
        Assert.Equal(2UL, run.U64("ret_at_exit"));
        // bpf_get_func_ip is the same at both ends.
        Assert.NotEqual(unset, run.U64("ip_at_entry"));
        Assert.NotEqual(0UL, run.U64("ip_at_entry"));
        Assert.Equal(run.U64("ip_at_entry"), run.U64("ip_at_exit"));

        // BpfFixup inlines both session calls of this program (the bytes are compared by Session_sites_equal_the_kernels).
        var report = ProductRun.Of("session_runtime-el.o").Analysis.Programs.Single(p => p.Program.Name == "sess_test1");
        Assert.Equal([SiteAction.Inline, SiteAction.Inline], report.Sites.Select(s => s.Action));
    }

    /// <summary>Samples the kernel cannot load are refused, every program, with the listed words.</summary>
    [KernelTheory]
    [MemberData(nameof(KernelRows.CannotLoad), MemberType = typeof(KernelRows))]
    public void Objects_the_kernel_cannot_load_are_refused(string objectName)
    {
        var entry = KnownDisagreements.All.First(d => d.Kind == DisagreementKind.CannotLoad && d.Matches(objectName));
        Assert.True(Record.Objects.TryGetValue(objectName, out var obj), $"no record of {objectName}");
        Assert.NotEmpty(obj!.Programs.Count > 0 ? obj.Programs : throw new Xunit.Sdk.XunitException($"{objectName}: libbpf did not open it ({obj.Libbpf.Trim()})"));
        foreach (var p in obj.Programs)
        {
            Assert.False(p.Loaded, $"{objectName} {p.Name} loaded, but {entry} says it cannot");
            Assert.Contains(entry.KernelWords, p.FirstErrorLine ?? string.Empty, StringComparison.Ordinal);
        }
    }

    /// <summary>Every entry of the data file is about a program the record has, and every big-endian sample is listed.</summary>
    [KernelFact]
    public void Every_known_disagreement_names_a_recorded_program()
    {
        foreach (var entry in KnownDisagreements.All)
        {
            bool used = Record.Objects.Values.Any(o => entry.Matches(o.Object) && (entry.Kind == DisagreementKind.CannotLoad || o.Programs.Any(p => entry.Matches(o.Object, p.Name))));
            Assert.True(used, $"{entry} matches no recorded program");
        }

        foreach (string sample in TestPaths.AllSamples())
        {
            bool bigEndian = File.ReadAllBytes(sample)[5] == 2; // ELF EI_DATA: ELFDATA2MSB
            Assert.True(!bigEndian || KnownDisagreements.CannotLoad(Path.GetFileName(sample)), $"{Path.GetFileName(sample)} is big-endian and not listed as cannot-load");
        }
    }

    /// <summary>
    /// The kernel's xlated stream of an accepted program aligned with the patched program; null (after asserting that
    /// a verdict entry says so) when the kernel rejected the program.
    /// </summary>
    private (ProductRun Run, LinkedProgram Linked, XlatedComparison Comparison)? CompareStreams(string objectName, string program)
    {
        var kernel = Record.Program(objectName, program);
        if (!kernel.Loaded)
        {
            RequireVerdictEntry(objectName, program, kernel);
            return null;
        }

        var run = ProductRun.Of(objectName);
        var linked = LinkedProgram.Build(run.PatchedObject(), program, run.Patch.Rewrite!.Inlined);
        return (run, linked, XlatedNormaliser.Compare(linked, kernel.Xlated));
    }

    private static void RequireVerdictEntry(string objectName, string program, KernelProgram kernel)
    {
        var known = KnownDisagreements.Find(DisagreementKind.Verdict, objectName, program);
        Assert.True(known is not null, $"{objectName} {program}: Linux 7.2 {(kernel.Loaded ? "accepts" : "rejects: " + kernel.FirstErrorLine)}, BpfFixup does not, and no verdict entry says so");
    }
}
