// SPDX-License-Identifier: MIT
using System.CommandLine;
using System.CommandLine.Parsing;

namespace BpfFixup.Cli;

/// <summary>
/// The one usage line for a command line that does not parse. System.CommandLine hands a word it does not know
/// (<c>--bogus</c>) to the command's file arguments, where it would read as a missing file; here any word before
/// <c>--</c> that starts with <c>-</c> (other than <c>-</c> itself) and is neither an option nor an option's value
/// is an unknown option, as getopt and llvm-objdump say. A word no command takes is an unknown command at the top
/// and an unexpected argument below it. Both get System.CommandLine's typo suggestions
/// (<see cref="TypoSuggestions"/>): <c>bpffixup: error: unknown command 'dmup' (did you mean 'dump'?)</c>.
/// </summary>
internal static class UsageErrors
{
    /// <summary>
    /// The usage error of <paramref name="result"/>, parsed from <paramref name="args"/>, one line without the
    /// <c>bpffixup: error: </c> prefix; null when it parsed.
    /// </summary>
    public static string? Describe(ParseResult result, IReadOnlyList<string> args)
    {
        var command = result.CommandResult.Command;
        string where = command is RootCommand ? string.Empty : command.Name + ": ";
        string otherwise = command is RootCommand ? "; see bpffixup --help" : "; a file name that starts with '-' goes after --";
        if (ShortOptionBundles.FirstUnknown(result.CommandResult, args) is { } letter)
        {
            return where + $"unknown option {Quote(letter.Option)} in {Quote(letter.Bundle)}" + Suggest(letter.Option, Candidates(result.CommandResult, options: true), otherwise);
        }

        if (FirstUnknownOption(result) is { } option)
        {
            // --colr=always: the suggestion is for the name, not the name and its value.
            string name = option.StartsWith("--", StringComparison.Ordinal) && option.IndexOf('=', StringComparison.Ordinal) is > 2 and int eq ? option[..eq] : option;
            return where + $"unknown option {Quote(option)}" + Suggest(name, Candidates(result.CommandResult, options: true), otherwise);
        }

        if (result.UnmatchedTokens.Count > 0)
        {
            string word = result.UnmatchedTokens[0];
            return command is RootCommand
                ? $"unknown command {Quote(word)}" + Suggest(word, Candidates(result.CommandResult, options: false), "; see bpffixup --help")
                : where + $"unexpected argument {Quote(word)}";
        }

        if (result.Errors.Count == 0)
        {
            return null;
        }

        // The root command has no action of its own: say what to type instead of "Required command was not provided."
        return command is RootCommand && command.Action is null
            ? $"no command given: use one of {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))} (see bpffixup --help)"
            : result.Errors[0].Message;
    }

    /// <summary>The first word before <c>--</c> that looks like an option and is not one, nor the value of one.</summary>
    private static string? FirstUnknownOption(ParseResult result)
    {
        var optionValues = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        for (SymbolResult? r = result.CommandResult; r is CommandResult c; r = c.Parent)
        {
            foreach (var child in c.Children)
            {
                if (child is OptionResult o)
                {
                    optionValues.UnionWith(o.Tokens);
                }
            }
        }

        foreach (var token in result.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
            {
                break;
            }

            if (token.Type == TokenType.Argument && token.Value is ['-', _, ..] && !optionValues.Contains(token))
            {
                return token.Value;
            }
        }

        return null;
    }

    /// <summary>What a word may have meant: the options (and subcommands) of the command and the options it inherits.</summary>
    private static IEnumerable<IEnumerable<string>> Candidates(CommandResult result, bool options)
    {
        var command = result.Command;
        foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
        {
            yield return [sub.Name, .. sub.Aliases];
        }

        for (SymbolResult? r = result; r is CommandResult c; r = c.Parent)
        {
            foreach (var option in c.Command.Options.Where(o => !o.Hidden && (c == result || o.Recursive)))
            {
                if (options || command.Subcommands.Count == 0)
                {
                    yield return [option.Name, .. option.Aliases];
                }
            }
        }
    }

    private static string Suggest(string word, IEnumerable<IEnumerable<string>> candidates, string otherwise)
    {
        var suggestions = TypoSuggestions.For(word, candidates);
        return suggestions.Count switch
        {
            0 => otherwise,
            1 => $" (did you mean {Quote(suggestions[0])}?)",
            _ => $" (did you mean one of {string.Join(", ", suggestions.Select(Quote))}?)",
        };
    }

    private static string Quote(string text) => "'" + text + "'";
}
