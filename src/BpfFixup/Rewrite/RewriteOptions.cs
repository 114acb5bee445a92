// SPDX-License-Identifier: MIT
namespace BpfFixup.Rewrite;

/// <summary>Options of the fixup.</summary>
public sealed record RewriteOptions
{
    /// <summary>The kernel ABI whose sequences are inlined.</summary>
    public KernelAbi Abi { get; init; } = KernelAbi.Default;

    /// <summary>Keep DWARF sections although code moved (they become stale; a warning says so).</summary>
    public bool KeepDebug { get; init; }
}
