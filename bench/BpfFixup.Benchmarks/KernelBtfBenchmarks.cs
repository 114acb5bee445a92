// SPDX-License-Identifier: MIT
using BenchmarkDotNet.Attributes;
using BpfFixup.Btf;
using BpfFixup.Diagnostics;

namespace BpfFixup.Benchmarks;

/// <summary>
/// Reading a kernel's BTF for <c>--kernel-btf</c>: parse and index (about 100 000 types in a distribution
/// vmlinux), then the look-ups the checks make. The file is named by <c>BPFFIXUP_BENCH_KERNEL_BTF</c> (e.g. the
/// kernel tier's kernel-record/vmlinux.btf, or /sys/kernel/btf/vmlinux).
/// </summary>
[MemoryDiagnoser]
public class KernelBtfBenchmarks
{
    private byte[] bytes = [];
    private KernelBtf kernel = null!;

    [GlobalSetup]
    public void Setup()
    {
        string path = Environment.GetEnvironmentVariable("BPFFIXUP_BENCH_KERNEL_BTF")
            ?? throw new InvalidOperationException("set BPFFIXUP_BENCH_KERNEL_BTF to a raw kernel BTF file");
        bytes = File.ReadAllBytes(path);
        kernel = Parse();
    }

    /// <summary>Parse every type and index the functions by name.</summary>
    [Benchmark]
    public KernelBtf Parse() => KernelBtf.TryParse(bytes, "vmlinux.btf", new DiagnosticBag()) ?? throw new InvalidOperationException("not BTF");

    /// <summary>One attach-target look-up and one kfunc look-up.</summary>
    [Benchmark]
    public bool Lookup() => kernel.Types.FindFunc("vfs_read") is not null && kernel.Types.FindFunc("bpf_session_cookie") is not null;
}
