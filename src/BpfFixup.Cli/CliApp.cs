// SPDX-License-Identifier: MIT
using System.CommandLine;
using BpfFixup.Cli.Commands;

namespace BpfFixup.Cli;

/// <summary>Builds the command tree. Each command lives in its own file under <c>Commands/</c> and is added here.</summary>
internal static class CliApp
{
    /// <summary>The root command <c>bpffixup</c> with all subcommands.</summary>
    public static RootCommand CreateRootCommand() => new("bpffixup: read BPF object files, check them, and inline the fsession kfuncs offline")
    {
        DumpCommand.Create(),
        CheckCommand.Create(),
        PatchCommand.Create(),
        SnapshotCommand.Create(),
        DiffCommand.Create(),
        CompletionCommand.Create(),
    };
}
