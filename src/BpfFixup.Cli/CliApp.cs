// SPDX-License-Identifier: MIT
using System.CommandLine;
using BpfFixup.Cli.Commands;

namespace BpfFixup.Cli;

/// <summary>Builds the command tree. Each command lives in its own file under <c>Commands/</c> and is added here.</summary>
internal static class CliApp
{
    /// <summary>The root command <c>bpffixup</c> with all subcommands.</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("bpffixup: read BPF object files, check them, and inline the fsession kfuncs offline")
        {
            DumpCommand.Create(),
            CheckCommand.Create(),
            PatchCommand.Create(),
            SnapshotCommand.Create(),
            DiffCommand.Create(),
            CompletionCommand.Create(),
        };
        Switches(root);
        return root;
    }

    /// <summary>
    /// Every <c>Option&lt;bool&gt;</c> becomes a switch that takes no value, as git's and llvm-objdump's do. System.CommandLine's
    /// default (an optional <c>true</c>/<c>false</c>) makes shell completion after a switch offer only <c>True False</c>
    /// (<c>patch x.o --diff --col</c> would not complete to <c>--color</c>).
    /// </summary>
    private static void Switches(Command command)
    {
        foreach (var option in command.Options.OfType<Option<bool>>())
        {
            option.Arity = ArgumentArity.Zero;
        }

        foreach (var sub in command.Subcommands)
        {
            Switches(sub);
        }
    }
}
