// SPDX-License-Identifier: MIT
using System.CommandLine;
using BpfFixup.Rewrite;

namespace BpfFixup.Cli.Commands;

/// <summary>The <c>--abi</c>, <c>--is-return-shift</c> and <c>--cookie-index-shift</c> options shared by several commands.</summary>
internal sealed class AbiOptions
{
    public Option<string> Abi { get; } = new("--abi")
    {
        Description = $"Kernel ABI of the inline sequences: {string.Join(", ", KernelAbi.Table.Select(a => a.Name))}",
        DefaultValueFactory = _ => KernelAbi.DefaultName,
    };

    public Option<int?> IsReturnShift { get; } = new("--is-return-shift") { Description = "Override BPF_TRAMP_IS_RETURN_SHIFT (0-63)" };

    public Option<int?> CookieIndexShift { get; } = new("--cookie-index-shift") { Description = "Override BPF_TRAMP_COOKIE_INDEX_SHIFT (0-63)" };

    public AbiOptions()
    {
        Abi.AcceptOnlyFromAmong([.. KernelAbi.Table.Select(a => a.Name)]);
        foreach (var o in new[] { IsReturnShift, CookieIndexShift })
        {
            o.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<int?>() is int v && (v < 0 || v > 63))
                {
                    r.AddError($"{r.Option.Name} must be between 0 and 63");
                }
            });
        }
    }

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
