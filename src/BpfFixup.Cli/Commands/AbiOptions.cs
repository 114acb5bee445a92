// SPDX-License-Identifier: MIT
using System.CommandLine;
using BpfFixup.Rewrite;

namespace BpfFixup.Cli.Commands;

/// <summary>The <c>--abi</c>, <c>--is-return-shift</c> and <c>--cookie-index-shift</c> options shared by several commands.</summary>
internal sealed class AbiOptions
{
    public Option<string> Abi { get; } = new Option<string>("--abi")
    {
        Description = $"Kernel ABI of the inline sequences: {string.Join(", ", KernelAbi.Table.Select(a => a.Name))}",
        DefaultValueFactory = _ => KernelAbi.DefaultName,
    }.OneOf([.. KernelAbi.Table.Select(a => a.Name)]);

    public Option<int?> IsReturnShift { get; } = new Option<int?>("--is-return-shift") { Description = "Override BPF_TRAMP_IS_RETURN_SHIFT (0-63)" }.Range(0, 63);

    public Option<int?> CookieIndexShift { get; } = new Option<int?>("--cookie-index-shift") { Description = "Override BPF_TRAMP_COOKIE_INDEX_SHIFT (0-63)" }.Range(0, 63);

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Abi);
        command.Options.Add(IsReturnShift);
        command.Options.Add(CookieIndexShift);
    }

    /// <summary>The ABI the command line selects.</summary>
    public KernelAbi Resolve(ParseResult pr) =>
        KernelAbi.Find(pr.GetValue(Abi) ?? KernelAbi.DefaultName)!.WithOverrides(pr.GetValue(IsReturnShift), pr.GetValue(CookieIndexShift));
}
