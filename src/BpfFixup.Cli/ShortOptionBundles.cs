// SPDX-License-Identifier: MIT
using System.CommandLine;
using System.CommandLine.Parsing;

namespace BpfFixup.Cli;

/// <summary>
/// Bundled short options (<c>-dr</c> for <c>-d -r</c>, as getopt reads them). System.CommandLine splits a bundle at the
/// first letter that is not an option and hands the rest to the command's file arguments, so <c>dump -dz x.o</c>
/// would read as a missing file <c>z</c>; getopt (and llvm-objdump) say <c>-z</c> is an unknown option. A letter whose
/// option takes a value ends the bundle: the rest is that value (<c>-U3</c>, <c>-jfsession</c>).
/// </summary>
internal static class ShortOptionBundles
{
    /// <summary>A letter of a bundle that is no option of the command.</summary>
    /// <param name="Option">The letter as an option, e.g. <c>-z</c>.</param>
    /// <param name="Bundle">The word it came in, e.g. <c>-dz</c>.</param>
    public readonly record struct UnknownLetter(string Option, string Bundle);

    /// <summary>The first unknown letter in a bundle among <paramref name="args"/> (before <c>--</c>); null when there is none.</summary>
    public static UnknownLetter? FirstUnknown(CommandResult command, IReadOnlyList<string> args)
    {
        var options = Options(command);
        bool valueNext = false;
        foreach (string word in args)
        {
            if (word == "--")
            {
                break;
            }

            if (valueNext)
            {
                // The value of the option before it (--program -dz names a function -dz).
                valueNext = false;
                continue;
            }

            if (options.TryGetValue(word, out var exact))
            {
                valueNext = TakesValue(exact);
                continue;
            }

            if (word is not ['-', not '-', _, ..])
            {
                continue;
            }

            for (int i = 1; i < word.Length; i++)
            {
                if (!options.TryGetValue("-" + word[i], out var option))
                {
                    // The first letter unknown: the whole word is the unknown option (reported as such elsewhere).
                    return i == 1 ? null : new UnknownLetter("-" + word[i], word);
                }

                if (TakesValue(option))
                {
                    break;
                }
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="option"/> takes a value as the next word (a switch's optional true/false does not count).</summary>
    private static bool TakesValue(Option option) => option.Arity.MaximumNumberOfValues > 0 && option.ValueType != typeof(bool);

    /// <summary>Every spelling of the options <paramref name="command"/> takes: its own and those it inherits.</summary>
    private static Dictionary<string, Option> Options(CommandResult command)
    {
        var options = new Dictionary<string, Option>(StringComparer.Ordinal);
        for (SymbolResult? r = command; r is CommandResult c; r = c.Parent)
        {
            foreach (var option in c.Command.Options.Where(o => c == command || o.Recursive))
            {
                options.TryAdd(option.Name, option);
                foreach (string alias in option.Aliases)
                {
                    options.TryAdd(alias, option);
                }
            }
        }

        return options;
    }
}
