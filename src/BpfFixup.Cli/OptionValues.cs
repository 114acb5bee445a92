// SPDX-License-Identifier: MIT
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace BpfFixup.Cli;

/// <summary>
/// Parsers for typed option values. Each bad value is one usage error naming the option and the value
/// (<c>--context: invalid value 'x': expected a whole number from 0 to 100000000</c>), reported at parse time
/// with exit 2, instead of System.CommandLine's type-conversion exception at <c>GetValue</c>.
/// </summary>
internal static class OptionValues
{
    /// <summary>Makes <paramref name="option"/> accept whole numbers from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<int> Range(this Option<int> option, int min, int max)
    {
        option.CustomParser = r => ParseInt(r, option.Name, min, max) ?? 0;
        option.HelpName = "N";
        return option;
    }

    /// <summary>Makes <paramref name="option"/> accept whole numbers from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<int?> Range(this Option<int?> option, int min, int max)
    {
        option.CustomParser = r => ParseInt(r, option.Name, min, max);
        option.HelpName = "N";
        return option;
    }

    /// <summary>Makes <paramref name="option"/> accept only <paramref name="values"/>.</summary>
    public static Option<string> OneOf(this Option<string> option, params string[] values)
    {
        option.CustomParser = r =>
        {
            if (Value(r) is not { } text)
            {
                return null;
            }

            if (!values.Contains(text, StringComparer.Ordinal))
            {
                r.AddError($"{option.Name}: invalid value {Quote(text)}: expected one of {string.Join(", ", values)}");
            }

            return text;
        };
        option.HelpName = string.Join('|', values);
        option.CompletionSources.Add(values);
        return option;
    }

    /// <summary>Makes the repeatable <paramref name="option"/> take comma-separated lists (<c>--disassemble-symbols=a,b</c>); an empty name is a usage error.</summary>
    public static Option<string[]> CommaList(this Option<string[]> option)
    {
        option.CustomParser = r =>
        {
            var names = r.Tokens.SelectMany(t => t.Value.Split(',')).ToArray();
            if (names.Any(n => n.Length == 0))
            {
                r.AddError($"{option.Name}: invalid value {Quote(string.Join(' ', r.Tokens.Select(t => t.Value)))}: expected names separated by commas");
            }

            return names;
        };
        return option;
    }

    /// <summary>Makes <paramref name="option"/> refuse the empty path.</summary>
    public static Option<string?> FilePath(this Option<string?> option)
    {
        option.CustomParser = r => NonEmpty(r, option.Name);
        return option;
    }

    /// <summary>Makes the repeatable <paramref name="option"/> refuse empty paths.</summary>
    public static Option<string[]> FilePaths(this Option<string[]> option)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.Any(t => t.Value.Length == 0))
            {
                r.AddError($"{option.Name}: invalid value '': expected a file path");
            }
        });
        return option;
    }

    /// <summary>Makes <paramref name="argument"/> refuse empty paths.</summary>
    public static Argument<string[]> FilePaths(this Argument<string[]> argument)
    {
        argument.Validators.Add(r =>
        {
            if (r.Tokens.Any(t => t.Value.Length == 0))
            {
                r.AddError($"<{argument.Name}>: invalid value '': expected a file path");
            }
        });
        return argument;
    }

    /// <summary>A value quoted for an error line (control characters escaped).</summary>
    private static string Quote(string text) => "'" + Text.Printable.Escape(text) + "'";

    private static string? Value(ArgumentResult r) => r.Tokens.Count == 0 ? null : r.Tokens[^1].Value;

    private static string? NonEmpty(ArgumentResult r, string name)
    {
        string? text = Value(r);
        if (text is { Length: 0 })
        {
            r.AddError($"{name}: invalid value '': expected a file path");
        }

        return text;
    }

    private static int? ParseInt(ArgumentResult r, string name, int min, int max)
    {
        if (Value(r) is not { } text)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) || v < min || v > max)
        {
            r.AddError(string.Create(CultureInfo.InvariantCulture, $"{name}: invalid value {Quote(text)}: expected a whole number from {min} to {max}"));
            return null;
        }

        return (int)v;
    }
}
