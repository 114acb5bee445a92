// SPDX-License-Identifier: MIT
using System.Collections.Concurrent;
using BpfFixup.Analysis;
using BpfFixup.Btf;
using BpfFixup.Diagnostics;
using BpfFixup.Rewrite;
using Xunit.Abstractions;

namespace BpfFixup.Tests.Kernel;

/// <summary>
/// <c>check --kernel-btf</c> with the guest's own /sys/kernel/btf/vmlinux (the record's vmlinux.btf) against what
/// Linux 7.2 and libbpf said. With the kernel's BTF the verdict entries of known-disagreements.txt (open_fail,
/// session_oldproto) close: every program agrees, verdict and first error line.
/// </summary>
[Collection(KernelCollection.Name)]
[Trait("Category", "Kernel")]
public sealed class KernelBtfTierTests(KernelRecordFixture fixture, ITestOutputHelper output)
{
    private static readonly ConcurrentDictionary<string, KernelBtf> Kernels = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, AnalysisResult> Verdicts = new(StringComparer.Ordinal);

    private KernelRecord Record => fixture.Record;

    [KernelTheory]
    [MemberData(nameof(KernelRows.Programs), MemberType = typeof(KernelRows))]
    public void Check_with_the_kernels_btf_agrees_with_the_kernel(string objectName, string program)
    {
        var kernel = Record.Program(objectName, program);
        var verdict = Verdicts.GetOrAdd(objectName, n => FixupPipeline.Verify(TestHelpers.LoadSample(n), new RewriteOptions { KernelBtf = KernelBtfOf(Record) }));
        var report = verdict.Programs.Single(p => p.Program.Name == program);
        var reached = report.Reachable.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        // libbpf's and the attach-time checks come before the verifier's: the findings without an instruction first.
        var errors = verdict.Diagnostics
            .Where(d => d.Severity == Severity.Error && (d.Program == program || (d.Program is null && (d.Function is null || reached.Contains(d.Function)))))
            .OrderBy(d => d.Index is null ? 0 : 1)
            .ToList();
        string product = errors.Count == 0 ? "accepts" : "rejects: " + string.Join(" | ", errors.Select(d => d.Message));

        if (kernel.RetargetedTo is { } retarget && !(kernel.FirstErrorLine ?? string.Empty).StartsWith("extern ", StringComparison.Ordinal))
        {
            // The loader retargeted the program (its target is gone in 7.2): BpfFixup says so, with libbpf's words,
            // and names the function the loader chose among the similar ones.
            string target = KernelBtfChecks.AttachTarget(report)!;
            Assert.True(errors.Count > 0, $"{objectName} {program}: '{target}' is not in 7.2's BTF, yet check --kernel-btf {product}");
            Assert.Equal($"prog '{program}': failed to find kernel BTF type ID of '{target}': -ESRCH", errors[0].Message);
            var note = verdict.Diagnostics.Single(d => d.Severity == Severity.Note && d.Id == DiagnosticIds.AttachTarget && d.Program == program);
            Assert.Contains($" {retarget} (", note.Message, StringComparison.Ordinal);
            output.WriteLine($"{objectName} {program}: '{target}' missing; the loader's {retarget} is among: {note.Message}");
            return;
        }

        if (kernel.Loaded)
        {
            Assert.True(errors.Count == 0, $"{objectName} {program}: Linux 7.2 accepts; check --kernel-btf {product}");
            return;
        }

        Assert.True(errors.Count > 0, $"{objectName} {program}: Linux 7.2 rejects ({kernel.FirstErrorLine}); check --kernel-btf accepts");
        Assert.True(errors[0].Message.Contains(kernel.FirstErrorLine!, StringComparison.Ordinal),
            $"{objectName} {program}: the kernel's first error line\n  {kernel.FirstErrorLine}\nis not BpfFixup's first error:\n  {product}");
        output.WriteLine($"{objectName} {program}: both reject: {kernel.FirstErrorLine}");
    }

    /// <summary>
    /// With <c>--kernel-inlines --kernel-btf</c> every tracing helper the kernel inlines is inlined, the tp_btf forms
    /// of get_func_arg and get_func_arg_cnt included (<c>r0 = nr_args - 1</c> from the tracepoint's btf_trace_ typedef):
    /// the xlated stream equals the patched program with the normaliser's tracing-helper step off, and no call of those
    /// helpers is left in any tracing program.
    /// </summary>
    [KernelTheory]
    [MemberData(nameof(KernelRows.Accepted), MemberType = typeof(KernelRows))]
    public void Xlated_stream_equals_the_program_patched_with_kernel_inlines_and_the_kernels_btf(string objectName, string program)
    {
        var kernel = Record.Program(objectName, program);
        var run = ProductRun.Of(objectName);
        if (!kernel.Loaded || !run.Accepts(program))
        {
            // Verdicts are Check_with_the_kernels_btf_agrees_with_the_kernel's and KernelTierTests' business.
            return;
        }

        var patch = run.KernelInlinesPatchWith(KernelBtfOf(Record));
        var linked = LinkedProgram.Build(run.PatchedObject(patch), program, patch.Rewrite!.Inlined);
        var comparison = XlatedNormaliser.Compare(linked, kernel.Xlated, tracingHelperInlines: false);
        Assert.True(comparison.Problems.Count == 0, $"{objectName} {program} (--kernel-inlines --kernel-btf):\n  {string.Join("\n  ", comparison.Problems)}\n{comparison.Listing}");

        int[] tracingHelpers = [.. KernelAbi.TracingHelperInlines.Select(t => t.HelperId).Distinct()];
        var left = linked.Instructions.Where(x => x.Kind == LinkedKind.HelperCall && tracingHelpers.Contains(x.Insn.Imm)).ToList();
        bool tracing = linked.ProgramType == BpfFixup.Model.ProgramType.Tracing;
        Assert.True(!tracing || left.Count == 0, $"{objectName} {program}: --kernel-inlines --kernel-btf left {string.Join(", ", left.Select(x => x.Where))}");
        output.WriteLine($"{objectName} {program} (--kernel-inlines --kernel-btf): {linked.Instructions.Count} instructions");
    }

    private static KernelBtf KernelBtfOf(KernelRecord record) => Kernels.GetOrAdd(record.Directory, dir =>
    {
        string path = Path.Combine(dir, "vmlinux.btf");
        Assert.True(File.Exists(path), $"the kernel record {dir} has no vmlinux.btf (tests/kernel/guest-init.sh copies /sys/kernel/btf/vmlinux)");
        var bag = new DiagnosticBag();
        return KernelBtf.LoadFile(path, bag) ?? throw new Xunit.Sdk.XunitException($"{path}: {string.Join("\n", bag.Items)}");
    });
}
