// SPDX-License-Identifier: MIT
using System.CommandLine;
using BpfFixup.Btf;
using BpfFixup.Diagnostics;

namespace BpfFixup.Cli.Commands;

/// <summary><c>--kernel-btf FILE</c>: the kernel's raw BTF (e.g. /sys/kernel/btf/vmlinux) to check programs against.</summary>
internal sealed class KernelBtfOption
{
    public Option<string?> Option { get; } = new Option<string?>("--kernel-btf")
    {
        Description = "The kernel's raw BTF (e.g. /sys/kernel/btf/vmlinux): check attach targets, kfunc prototypes and sleepable targets against it",
    }.FilePath();

    /// <summary>Adds the option to <paramref name="command"/>.</summary>
    public void AddTo(Command command) => command.Options.Add(Option);

    /// <summary>
    /// The BTF the command line names: null without the option; false (after one error line) when the file cannot be
    /// read or is not raw BTF.
    /// </summary>
    public bool TryResolve(ParseResult pr, TextWriter error, out KernelBtf? kernel)
    {
        kernel = null;
        if (pr.GetValue(Option) is not { } path)
        {
            return true;
        }

        var diagnostics = new DiagnosticBag();
        kernel = KernelBtf.LoadFile(path, diagnostics);
        if (kernel is null)
        {
            CliErrors.Write(error, diagnostics.Items[0]);
            return false;
        }

        return true;
    }
}
