// SPDX-License-Identifier: MIT
using BpfFixup.Btf;
using BpfFixup.Diagnostics;

namespace BpfFixup.Analysis;

/// <summary>
/// Whether the kernel lets a sleepable tracing program (<c>fentry.s</c>, <c>fexit.s</c>, <c>fmod_ret.s</c>,
/// <c>fsession.s</c>) attach to a function: kernel/bpf/verifier.c <c>check_attach_sleepable</c>, called from
/// <c>bpf_check_attach_target</c>, which logs <c>"%s is not sleepable"</c> when it refuses.
/// </summary>
/// <remarks>
/// With CONFIG_FUNCTION_ERROR_INJECTION (distribution kernels) the rule is the error-injection list
/// (<c>within_error_injection_list</c>, functions marked <c>ALLOW_ERROR_INJECTION</c>) minus
/// <c>btf_non_sleepable_error_inject</c>; without it, the arch syscall prefix (<c>has_arch_syscall_prefix</c>:
/// <c>__x64_</c> on x86-64). The list is not in BTF. What decides either way: every syscall wrapper
/// (<c>__x64_sys_*</c>) is on it (SYSCALL_DEFINE marks the wrapper with ALLOW_ERROR_INJECTION, and the prefix rule
/// takes it); the deny set is refused; and the functions the syscall macros and helpers make behind the wrapper
/// (<c>__do_sys_*</c>, <c>__se_sys_*</c>, <c>do_sys_*</c>, <c>ksys_*</c>, <c>__sys_*</c>) carry no mark and no
/// prefix — Linux 7.2 said <c>do_sys_openat2 is not sleepable</c> (bpf_check_attach_target in kernel/bpf/verifier.c, seen by
/// the kernel tier, tests/BpfFixup.Tests/Kernel). Any other function: cannot tell.
/// </remarks>
public static class Sleepable
{
    /// <summary>kernel/bpf/verifier.c <c>btf_non_sleepable_error_inject</c>: on the list, yet never sleepable.</summary>
    private static readonly string[] NonSleepableErrorInject = ["__filemap_add_folio", "should_fail_alloc_page", "should_failslab"];

    /// <summary>The syscall entry points: arch wrappers (<c>has_arch_syscall_prefix</c>, x86-64 and its ia32 emulation).</summary>
    public static bool IsSyscallEntry(string name) =>
        name.StartsWith("__x64_", StringComparison.Ordinal) || name.StartsWith("__ia32_", StringComparison.Ordinal);

    /// <summary>Functions a syscall is made of behind its wrapper, which neither rule takes.</summary>
    private static bool IsSyscallInternal(string name) =>
        name.StartsWith("__do_sys_", StringComparison.Ordinal) || name.StartsWith("__se_sys_", StringComparison.Ordinal)
        || name.StartsWith("do_sys_", StringComparison.Ordinal) || name.StartsWith("ksys_", StringComparison.Ordinal)
        || name.StartsWith("__sys_", StringComparison.Ordinal);

    /// <summary>Null when the kernel lets the program sleep on <paramref name="func"/>; else an error (the kernel's words) or a warning (cannot tell).</summary>
    public static (Severity Severity, string Message)? Judge(BtfInfo kernel, BtfType func)
    {
        string name = func.Name;
        if (IsSyscallEntry(name))
        {
            return null;
        }

        if (NonSleepableErrorInject.Contains(name, StringComparer.Ordinal) || IsSyscallInternal(name))
        {
            string wrapper = IsSyscallInternal(name) ? SyscallWrapperHint(kernel, name) : string.Empty;
            return (Severity.Error, $"{name} is not sleepable{wrapper}");
        }

        return (Severity.Warning, $"cannot tell whether {name} is sleepable: the kernel lets a sleepable program attach only to a syscall (__x64_sys_*) or a function on its error-injection list (ALLOW_ERROR_INJECTION), which BTF does not carry");
    }

    private static string SyscallWrapperHint(BtfInfo kernel, string name)
    {
        string stem = name[(name.IndexOf("sys_", StringComparison.Ordinal) + 4)..];
        string wrapper = "__x64_sys_" + stem;
        return kernel.FindFunc(wrapper) is not null ? $" (the syscall's wrapper {wrapper} is)" : string.Empty;
    }
}
