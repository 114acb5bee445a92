// SPDX-License-Identifier: MIT
using BpfFixup.Btf;
using BpfFixup.Diagnostics;

namespace BpfFixup.Analysis;

/// <summary>
/// Whether the kernel lets a sleepable tracing program (<c>fentry.s</c>, <c>fexit.s</c>, <c>fmod_ret.s</c>,
/// <c>fsession.s</c>) attach to a function: kernel/bpf/verifier.c <c>bpf_check_attach_target</c>, which logs
/// <c>"%s is not sleepable"</c> unless <c>check_attach_sleepable</c> takes the function or the function is in an
/// fmodret set with KF_SLEEPABLE (<c>btf_kfunc_is_modify_return</c>).
/// </summary>
/// <remarks>
/// <c>check_attach_sleepable</c> has two forms, chosen by CONFIG_FUNCTION_ERROR_INJECTION, and the kernel's BTF tells
/// which one the kernel has: lib/error-inject.c's <c>within_error_injection_list</c> is a FUNC of it only with the
/// option.
/// <list type="bullet">
/// <item>With it: the function must be on the error-injection list (<c>ALLOW_ERROR_INJECTION</c>, listed in
/// /sys/kernel/debug/error_injection/list, not in BTF) and not in <c>btf_non_sleepable_error_inject</c>. Decided
/// here: the deny set (never sleepable) and the syscall wrappers (the arch's SYSCALL_DEFINE stub marks each one,
/// e.g. arch/x86/include/asm/syscall_wrapper.h <c>__SYS_STUBx</c>); any other function is on the list or not,
/// which BTF does not say: a warning, <c>cannot tell</c>.</item>
/// <item>Without it: <c>has_arch_syscall_prefix</c>, the arch's wrapper prefix (<c>__x64_</c> on x86-64, read from
/// the wrappers the BTF holds). It decides every function: without the prefix, "X is not sleepable". Linux 7.2 of
/// Debian's cloud kernel is of this kind and said <c>do_sys_openat2 is not sleepable</c> (bpf_check_attach_target, seen by the kernel tier,
/// tests/BpfFixup.Tests/Kernel).</item>
/// </list>
/// The fmodret sets are BTF_ID sets of the kernel image, not of its BTF; the one with KF_SLEEPABLE built into
/// vmlinux is net/bpf/test_run.c's <c>bpf_test_modify_return_ids</c> (<c>bpf_fentry_test1</c>).
/// </remarks>
public static class Sleepable
{
    /// <summary>kernel/bpf/verifier.c <c>btf_non_sleepable_error_inject</c>: on the list, yet never sleepable.</summary>
    private static readonly string[] NonSleepableErrorInject = ["__filemap_add_folio", "should_fail_alloc_page", "should_failslab"];

    /// <summary>net/bpf/test_run.c <c>bpf_test_modify_return_ids</c>: the fmodret set's KF_SLEEPABLE member.</summary>
    private static readonly string[] FmodretSleepable = ["bpf_fentry_test1"];

    /// <summary>
    /// <c>has_arch_syscall_prefix</c>'s prefixes of the arches whose wrappers BTF names apart (x86-64 before i386,
    /// whose <c>__ia32_</c> wrappers an x86-64 kernel with IA32 emulation has too).
    /// </summary>
    private static readonly string[] ArchPrefixes = ["__x64_", "__arm64_", "__s390x_", "__riscv_", "__ia32_"];

    /// <summary>The syscall entry points of x86: arch wrappers (x86-64 and its ia32 emulation).</summary>
    public static bool IsSyscallEntry(string name) =>
        name.StartsWith("__x64_", StringComparison.Ordinal) || name.StartsWith("__ia32_", StringComparison.Ordinal);

    /// <summary>Null when the kernel lets the program sleep on <paramref name="func"/>; else an error (the kernel's words) or a warning (cannot tell).</summary>
    /// <param name="kernel">The BTF holding <paramref name="func"/> (vmlinux, or a module's split BTF on it).</param>
    /// <param name="func">The attach target.</param>
    public static (Severity Severity, string Message)? Judge(BtfInfo kernel, BtfType func)
    {
        string name = func.Name;
        if (FmodretSleepable.Contains(name, StringComparer.Ordinal))
        {
            return null;
        }

        string? prefix = ArchPrefix(kernel);
        if (kernel.FindFunc("within_error_injection_list") is not null)
        {
            if (NonSleepableErrorInject.Contains(name, StringComparer.Ordinal))
            {
                return (Severity.Error, $"{name} is not sleepable");
            }

            if (prefix is not null && IsSyscallWrapper(name, prefix))
            {
                return null;
            }

            return (Severity.Warning, $"cannot tell whether {name} is sleepable: this kernel lets a sleepable program attach only to a function on its error-injection list (ALLOW_ERROR_INJECTION, /sys/kernel/debug/error_injection/list), which BTF does not carry");
        }

        if (prefix is null)
        {
            return (Severity.Warning, $"cannot tell whether {name} is sleepable: the kernel lets a sleepable program attach only to its arch's syscall wrappers, and its BTF names none of a known arch");
        }

        return name.StartsWith(prefix, StringComparison.Ordinal) ? null : (Severity.Error, $"{name} is not sleepable{SyscallWrapperHint(kernel, name, prefix)}");
    }

    /// <summary>The arch's syscall wrapper prefix, from the first wrapper (<c>PREFIXsys_*</c>) among the kernel's functions; null when none.</summary>
    private static string? ArchPrefix(BtfInfo kernel)
    {
        var found = new bool[ArchPrefixes.Length];
        foreach (var f in (kernel.Base ?? kernel).Funcs)
        {
            for (int i = 0; i < ArchPrefixes.Length; i++)
            {
                found[i] |= f.Name.StartsWith(ArchPrefixes[i], StringComparison.Ordinal) && f.Name.AsSpan(ArchPrefixes[i].Length).StartsWith("sys_", StringComparison.Ordinal);
            }

            if (found[0])
            {
                break;
            }
        }

        int first = Array.IndexOf(found, true);
        return first < 0 ? null : ArchPrefixes[first];
    }

    /// <summary>A function SYSCALL_DEFINE's stub makes (and marks ALLOW_ERROR_INJECTION): <c>PREFIXsys_*</c>, <c>PREFIXcompat_sys_*</c>, and on x86-64 the ia32 ones too.</summary>
    private static bool IsSyscallWrapper(string name, string prefix)
    {
        foreach (string p in prefix == "__x64_" ? new[] { prefix, "__ia32_" } : [prefix])
        {
            if (name.StartsWith(p + "sys_", StringComparison.Ordinal) || name.StartsWith(p + "compat_sys_", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>For a syscall's internals (<c>do_sys_openat2</c>), the wrapper the kernel would take, when it has one.</summary>
    private static string SyscallWrapperHint(BtfInfo kernel, string name, string prefix)
    {
        int at = name.IndexOf("sys_", StringComparison.Ordinal);
        if (at < 0)
        {
            return string.Empty;
        }

        string wrapper = prefix + "sys_" + name[(at + 4)..];
        return kernel.FindFunc(wrapper) is not null ? $" (the syscall's wrapper {wrapper} is)" : string.Empty;
    }
}
