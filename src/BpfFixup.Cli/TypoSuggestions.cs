// SPDX-License-Identifier: MIT
namespace BpfFixup.Cli;

/// <summary>
/// Typo suggestions by the rule System.CommandLine 2.0's <c>ParseErrorAction</c> applies (its output is several
/// lines and colours the terminal, so the rule is applied here instead): each candidate symbol is represented by
/// the spelling nearest the word (Levenshtein distance, then the longer common prefix); spellings within an edit
/// distance of 3 are kept, and of those every one at the smallest distance, the longest common prefix first.
/// </summary>
internal static class TypoSuggestions
{
    /// <summary>The largest edit distance that is still a typo (System.CommandLine's <c>MaxLevenshteinDistance</c>).</summary>
    public const int MaxDistance = 3;

    /// <summary>Words longer than this are not typos of an option or command name (and bound the cost on hostile input).</summary>
    private const int MaxWordLength = 64;

    /// <summary>
    /// The spellings <paramref name="word"/> may have meant; <paramref name="candidates"/> holds each symbol's
    /// spellings (name first, then aliases).
    /// </summary>
    public static IReadOnlyList<string> For(string word, IEnumerable<IEnumerable<string>> candidates)
    {
        if (word.Length > MaxWordLength)
        {
            return [];
        }

        var nearest = candidates
            .Select(spellings => spellings.Select(s => (Text: s, Distance: Distance(word, s), Prefix: CommonPrefix(word, s)))
                .OrderBy(x => x.Distance).ThenByDescending(x => x.Prefix).First())
            .Where(x => x.Distance <= MaxDistance)
            .ToList();
        if (nearest.Count == 0)
        {
            return [];
        }

        int best = nearest.Min(x => x.Distance);
        return nearest.Where(x => x.Distance == best).OrderByDescending(x => x.Prefix).Select(x => x.Text).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The Levenshtein distance of <paramref name="a"/> and <paramref name="b"/> (insert, delete, substitute; two rows).</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static int CommonPrefix(string a, string b)
    {
        int n = 0;
        while (n < a.Length && n < b.Length && a[n] == b[n])
        {
            n++;
        }

        return n;
    }
}
