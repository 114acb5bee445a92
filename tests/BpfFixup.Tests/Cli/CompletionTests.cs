// SPDX-License-Identifier: MIT
using BpfFixup.Tests.Interop;
using static BpfFixup.Tests.TestKit.CliRun;

namespace BpfFixup.Tests.Cli;

/// <summary>
/// Issue 12 item 4: <c>bpffixup completion bash|zsh|fish</c> prints a script driven by the <c>[suggest]</c>
/// directive. The directive is tested in-process; the bash script is sourced in bash and its completion function
/// run on a command line, against the built bpffixup next to the tests.
/// </summary>
public sealed class CompletionTests
{
    /// <summary>The apphost of the CLI, copied beside the test assembly by the project reference.</summary>
    private static string Bpffixup => Path.Combine(AppContext.BaseDirectory, "bpffixup");

    [Theory]
    [InlineData("du", "dump")]
    [InlineData("dump --no-", "--no-annotations\n--no-raw\n--no-show-raw-insn")]
    [InlineData("check --format ", "json\nsarif\ntext")]
    [InlineData("check --format s", "sarif\njson")] // System.CommandLine: names that start with the word, then names that contain it
    [InlineData("completion ", "--help\n-?\n-h\n/?\n/h\nbash\nfish\nzsh")]
    [InlineData("diff --bogus --for", "--format")]
    [InlineData("patch x.o --diff --col", "--color")] // after a switch: a switch takes no true/false
    [InlineData("dump --source --no-an", "--no-annotations")]
    public void The_suggest_directive_completes_commands_options_and_values(string line, string expected)
    {
        var r = Run($"[suggest:{line.Length}]", line);
        Assert.Equal((0, string.Empty), (r.Code, r.Err));
        Assert.Equal(expected + "\n", r.Out);
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("zsh")]
    [InlineData("fish")]
    public void Each_shell_gets_a_script_that_calls_the_directive(string shell)
    {
        var r = Run("completion", shell);
        Assert.Equal((0, string.Empty), (r.Code, r.Err));
        Assert.Contains("[suggest:", r.Out, StringComparison.Ordinal);
        Assert.StartsWith(shell == "zsh" ? "#compdef bpffixup\n" : "# " + shell + " completion for bpffixup", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_shell_is_a_usage_error()
    {
        var r = Run("completion", "ksh");
        Assert.Equal((2, string.Empty), (r.Code, r.Out));
        Assert.Equal(["bpffixup: error: <shell>: invalid value 'ksh': expected one of bash, zsh, fish"], r.ErrLines);
    }

    [InteropTheory("bash")]
    [InlineData("bpffixup ch", "check")]
    [InlineData("bpffixup dump --sec", "--section")]
    [InlineData("bpffixup dump x.o --no-a", "--no-annotations")]
    [InlineData("bpffixup check --format j", "json")]
    [InlineData("bpffixup patch --dry", "--dry-run")]
    [InlineData("bpffixup dump --dis", "--disassemble\n--disassemble-symbols")]
    [InlineData("bpffixup diff a.o --fixup --keep", "--keep-line-numbers")]
    public void Bash_completes_from_the_sourced_script(string line, string expected)
    {
        Assert.Equal(expected, Complete("bash", line, """
            source <("$BPFFIXUP" completion bash)
            COMP_LINE="$LINE"; COMP_POINT=${#LINE}
            read -r -a COMP_WORDS <<< "$LINE"
            [[ "$LINE" == *" " ]] && COMP_WORDS+=("")
            COMP_WORDS[0]="$BPFFIXUP"
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            _bpffixup_complete
            printf '%s\n' "${COMPREPLY[@]}" | sort
            complete -p bpffixup
            """));
    }

    [InteropFact("zsh")]
    public void Zsh_script_parses()
    {
        ExternalTool.Require("zsh");
        string script = Path.Combine(Path.GetTempPath(), $"bpffixup-completion-{Environment.ProcessId}.zsh");
        File.WriteAllText(script, Run("completion", "zsh").Out);
        try
        {
            var r = ExternalTool.Run("zsh", ["-n", script]);
            Assert.True(r.ExitCode == 0, r.Stderr);
            var loaded = ExternalTool.Run("zsh", ["-c", $"autoload -U compinit && compinit -u -D && source {script} && print -r -- $_comps[bpffixup]"]);
            Assert.Equal("_bpffixup", loaded.Stdout.Trim());
        }
        finally
        {
            File.Delete(script);
        }
    }

    [InteropFact("fish")]
    public void Fish_completes_from_the_sourced_script()
    {
        string script = Run("completion", "fish").Out + "complete -C 'bpffixup dump --no-a'\n";
        Assert.Equal("--no-annotations", Shell("fish", "x", script).Split('\n', '\t')[0]);
    }

    private static string Complete(string shell, string line, string script)
    {
        string[] lines = Shell(shell, line, script).Split('\n');
        Assert.Equal("complete -o default -F _bpffixup_complete bpffixup", lines[^1]);
        return string.Join('\n', lines[..^1]);
    }

    /// <summary>Runs <paramref name="script"/> in <paramref name="shell"/> (on stdin) with the built bpffixup first on PATH; its stdout.</summary>
    private static string Shell(string shell, string line, string script)
    {
        ExternalTool.Require(shell);
        var psi = new System.Diagnostics.ProcessStartInfo(shell) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["BPFFIXUP"] = Bpffixup;
        psi.Environment["LINE"] = line;
        psi.Environment["PATH"] = AppContext.BaseDirectory + ":" + Environment.GetEnvironmentVariable("PATH");
        using var p = System.Diagnostics.Process.Start(psi)!;
        p.StandardInput.Write(script);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(30_000), "the shell did not finish");
        Assert.True(p.ExitCode == 0, stderr);
        return stdout.Result.TrimEnd('\n');
    }
}
