// SPDX-License-Identifier: MIT
namespace BpfFixup.Rewrite;

/// <summary>Options of the fixup.</summary>
public sealed record RewriteOptions
{
    /// <summary>The kernel ABI whose sequences are inlined.</summary>
    public KernelAbi Abi { get; init; } = KernelAbi.Default;

    /// <summary>The kernel's BTF (<c>--kernel-btf</c>): attach targets, kfunc prototypes and sleepable targets are checked against it.</summary>
    public Btf.KernelBtf? KernelBtf { get; init; }

    /// <summary>Keep DWARF sections although code moved (they become stale; a warning says so).</summary>
    public bool KeepDebug { get; init; }

    /// <summary>
    /// Also perform the helper inlines the kernel's do_misc_fixups does for tracing programs
    /// (<see cref="KernelAbi.TracingHelperInlines"/>), so that the output is the kernel's xlated stream (<c>--kernel-inlines</c>).
    /// </summary>
    public bool KernelInlines { get; init; }

    /// <summary>
    /// Also keep what the listings of the output are made from (<see cref="RewriteResult.Inlined"/> and
    /// <see cref="RewriteResult.Map"/>): true by default; <c>patch</c> without <c>--diff</c> or <c>--report</c> turns it
    /// off, as nothing there lists the output (issue 11's memory bound: the map is 4 bytes per instruction).
    /// </summary>
    public bool Listings { get; init; } = true;
}
