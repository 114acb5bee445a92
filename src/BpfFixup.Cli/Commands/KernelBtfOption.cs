// SPDX-License-Identifier: MIT
using System.CommandLine;
using BpfFixup.Btf;
using BpfFixup.Diagnostics;

namespace BpfFixup.Cli.Commands;

/// <summary>
/// <c>--kernel-btf FILE</c>, repeatable: the kernel's raw BTF (e.g. /sys/kernel/btf/vmlinux) to check programs
/// against, then split BTF of modules on top of it (e.g. /sys/kernel/btf/nf_conntrack).
/// </summary>
internal sealed class KernelBtfOption
{
    public Option<string[]> Option { get; } = new Option<string[]>("--kernel-btf")
    {
        Description = "The kernel's raw BTF (e.g. /sys/kernel/btf/vmlinux): check attach targets, kfunc prototypes and sleepable targets against it; " +
            "repeat it for modules' split BTF on top (e.g. /sys/kernel/btf/nf_conntrack)",
        AllowMultipleArgumentsPerToken = false,
    }.FilePaths();

    /// <summary>Adds the option to <paramref name="command"/>.</summary>
    public void AddTo(Command command) => command.Options.Add(Option);

    /// <summary>
    /// The BTF the command line names: null without the option; false (after one error line) when a file cannot be
    /// read, is not raw BTF, or (after the first) is not split BTF of the first.
    /// </summary>
    public bool TryResolve(ParseResult pr, TextWriter error, out KernelBtf? kernel)
    {
        kernel = null;
        if (pr.GetValue(Option) is not { Length: > 0 } paths)
        {
            return true;
        }

        var diagnostics = new DiagnosticBag();
        kernel = KernelBtf.LoadFiles(paths, diagnostics);
        if (kernel is null)
        {
            CliErrors.Write(error, diagnostics.Items[0]);
            return false;
        }

        return true;
    }
}
