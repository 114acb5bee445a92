// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>
/// git's default diff colours (git diff.c, <c>diff_colors[]</c>: <c>color.diff.meta</c> bold, <c>frag</c> cyan,
/// <c>old</c> red, <c>new</c> green, <c>context</c> plain; each coloured line ends in <c>GIT_COLOR_RESET</c>,
/// <c>ESC[m</c>) and when <c>--color=auto</c> uses them.
/// </summary>
public static class DiffColors
{
    /// <summary><c>GIT_COLOR_BOLD</c>: the <c>---</c>/<c>+++</c> and header lines.</summary>
    public const string Meta = "\u001b[1m";

    /// <summary><c>GIT_COLOR_CYAN</c>: the <c>@@ … @@</c> part of a hunk header.</summary>
    public const string Frag = "\u001b[36m";

    /// <summary><c>GIT_COLOR_RED</c>: deleted lines (and the <c>-</c> of a stat graph).</summary>
    public const string Old = "\u001b[31m";

    /// <summary><c>GIT_COLOR_GREEN</c>: inserted lines (and the <c>+</c> of a stat graph).</summary>
    public const string New = "\u001b[32m";

    /// <summary><c>GIT_COLOR_RESET</c>.</summary>
    public const string Reset = "\u001b[m";

    /// <summary>The values <c>--color</c> takes.</summary>
    public static readonly IReadOnlyList<string> Choices = ["auto", "always", "never"];

    /// <summary>
    /// Whether to colour: <c>always</c> and <c>never</c> as said; <c>auto</c> only when standard output is a terminal,
    /// <c>NO_COLOR</c> is unset or empty (https://no-color.org: a command-line option overrides it, so
    /// <c>always</c> still colours) and <c>TERM</c> is not <c>dumb</c> (git's <c>want_color</c>/<c>check_auto_color</c>).
    /// </summary>
    /// <param name="when"><c>auto</c>, <c>always</c> or <c>never</c>.</param>
    /// <param name="stdoutIsTerminal">Whether standard output is a terminal.</param>
    /// <param name="environment">Environment lookup (null when unset).</param>
    public static bool Resolve(string when, bool stdoutIsTerminal, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(when);
        ArgumentNullException.ThrowIfNull(environment);
        return when switch
        {
            "always" => true,
            "never" => false,
            "auto" => stdoutIsTerminal && string.IsNullOrEmpty(environment("NO_COLOR")) && environment("TERM") != "dumb",
            _ => throw new ArgumentOutOfRangeException(nameof(when), when, "expected auto, always or never"),
        };
    }
}
