// SPDX-License-Identifier: MIT
namespace BpfFixup.Btf;

/// <summary>A FUNC of the kernel's BTF with the BTF that holds it.</summary>
/// <param name="Types">vmlinux's BTF, or the module's split BTF (which resolves vmlinux's ids too).</param>
/// <param name="Func">The FUNC type.</param>
/// <param name="Module">The module's name, or null for vmlinux.</param>
public sealed record KernelFunc(BtfInfo Types, BtfType Func, string? Module)
{
    /// <summary>What libbpf calls the BTF in its messages: the module's name or <c>vmlinux</c>.</summary>
    public string Owner => Module ?? "vmlinux";
}
