// SPDX-License-Identifier: MIT
using System.CommandLine;

namespace BpfFixup.Cli.Commands;

/// <summary>The <c>--kernel-inlines</c> option of <c>dump --fixup</c>, <c>patch</c>, <c>snapshot</c> and <c>diff --fixup</c>.</summary>
internal static class KernelInlinesOption
{
    /// <summary>A new instance of the option (one per command).</summary>
    public static Option<bool> Create() => new("--kernel-inlines")
    {
        Description = "Also inline bpf_get_func_arg, bpf_get_func_ret, bpf_get_func_arg_cnt and bpf_get_func_ip in tracing programs, as the kernel's do_misc_fixups does (the stream bpftool prog dump xlated shows)",
    };
}
