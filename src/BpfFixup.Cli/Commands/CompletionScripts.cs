// SPDX-License-Identifier: MIT
namespace BpfFixup.Cli.Commands;

/// <summary>
/// The completion scripts. Each passes the command line up to the cursor, without the program's own name, to
/// <c>bpffixup "[suggest:N]" "LINE"</c> (N the length of LINE), the protocol of System.CommandLine's
/// <c>SuggestDirective</c> that dotnet-suggest uses, and offers what it prints; with nothing printed, file names.
/// </summary>
internal static class CompletionScripts
{
    /// <summary>The script for <paramref name="shell"/> (one of <see cref="CompletionCommand.Shells"/>).</summary>
    public static string For(string shell) => shell switch
    {
        "bash" => Bash,
        "zsh" => Zsh,
        "fish" => Fish,
        _ => throw new ArgumentOutOfRangeException(nameof(shell), shell, "no completion script"),
    };

    // COMP_LINE/COMP_POINT: the line and the cursor (bash(1), "Programmable Completion"); -o default: file names
    // when COMPREPLY is empty.
    private const string Bash = """
        # bash completion for bpffixup: source <(bpffixup completion bash)
        _bpffixup_complete() {
            local line="${COMP_LINE:0:COMP_POINT}"
            line="${line#*[[:space:]]}"
            [[ "$line" == "${COMP_LINE:0:COMP_POINT}" ]] && line=""
            local IFS=$'\n'
            local suggestions
            suggestions="$(command "${COMP_WORDS[0]}" "[suggest:${#line}]" "$line" 2>/dev/null)"
            COMPREPLY=($(compgen -W "$suggestions" -- "${COMP_WORDS[COMP_CWORD]}"))
        }
        complete -o default -F _bpffixup_complete bpffixup

        """;

    // $words/$CURRENT: the words and the index of the one under the cursor (zshcompwid(1)); _files otherwise.
    private const string Zsh = """
        #compdef bpffixup
        # zsh completion for bpffixup: bpffixup completion zsh > "${fpath[1]}/_bpffixup", or source it after compinit
        _bpffixup() {
            local line="${(j: :)words[2,CURRENT]}"
            local -a suggestions
            suggestions=("${(@f)$(command "${words[1]}" "[suggest:${#line}]" "$line" 2>/dev/null)}")
            suggestions=(${suggestions:#})
            if (( ${#suggestions} )); then
                compadd -- "${suggestions[@]}"
            else
                _files
            fi
        }
        if (( $+functions[compdef] )); then
            compdef _bpffixup bpffixup
        fi

        """;

    // commandline -cp: the line up to the cursor (fish's commandline(1)); fish adds file names itself.
    private const string Fish = """
        # fish completion for bpffixup: bpffixup completion fish > ~/.config/fish/completions/bpffixup.fish
        function __bpffixup_complete
            set -l tokens (commandline -opc)
            set -l line (string replace -r '^\S+\s*' '' -- (commandline -cp))
            command $tokens[1] "[suggest:"(string length -- "$line")"]" "$line" 2>/dev/null
        end
        complete -c bpffixup -a '(__bpffixup_complete)'

        """;
}
