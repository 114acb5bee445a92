// SPDX-License-Identifier: MIT
namespace BpfFixup.Btf;

/// <summary>A kernel module's split BTF on top of vmlinux (/sys/kernel/btf/&lt;module&gt;).</summary>
/// <param name="Name">The module's name as libbpf prints it (<c>mod_btf-&gt;name</c>): the file's name.</param>
/// <param name="Types">Its types; ids and strings below its own resolve in vmlinux.</param>
public sealed record KernelModuleBtf(string Name, BtfInfo Types);
