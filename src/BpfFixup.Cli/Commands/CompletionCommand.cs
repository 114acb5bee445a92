// SPDX-License-Identifier: MIT
using System.CommandLine;

namespace BpfFixup.Cli.Commands;

/// <summary>
/// <c>bpffixup completion bash|zsh|fish</c>: prints a completion script for the shell. Each script asks bpffixup
/// itself through System.CommandLine's <c>[suggest:POSITION]</c> directive (<c>bpffixup "[suggest:7]" "dump --"</c>
/// prints the options of dump that start with <c>--</c>, one a line), so completions always match the binary;
/// where bpffixup suggests nothing (file names), the shell's own file completion applies.
/// </summary>
internal static class CompletionCommand
{
    /// <summary>The shells with a script.</summary>
    public static readonly string[] Shells = ["bash", "zsh", "fish"];

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh or fish" };
        shell.Validators.Add(r =>
        {
            string value = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
            if (!Shells.Contains(value, StringComparer.Ordinal))
            {
                r.AddError($"<shell>: invalid value '{value}': expected one of {string.Join(", ", Shells)}");
            }
        });
        shell.CompletionSources.Add(Shells);
        var command = new Command("completion", "Print a shell completion script: source <(bpffixup completion bash), or see the README for zsh and fish") { shell };
        command.SetAction(pr =>
        {
            pr.InvocationConfiguration.Output.Write(CompletionScripts.For(pr.GetValue(shell)!));
            return ExitCodes.Success;
        });
        return command;
    }
}
