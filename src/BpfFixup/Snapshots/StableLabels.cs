// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BpfFixup.Model;

namespace BpfFixup.Snapshots;

/// <summary>
/// Names the jump targets of one function for review listings so that a label changes only when the code at its
/// target changes. A label is <c>.L</c> and four hex digits of SHA-256 over the function's name and the target's
/// <i>context</i>, which the caller renders: the first <see cref="ContextLength"/> instructions from the target as the
/// object had them before the fixup (an inlined site counts as the one call it replaced, so the labels before and
/// after the fixup are the same), with jumps cut after <c>goto</c> (their offsets and labels depend on code
/// elsewhere). Targets with equal digits (the same code, or a 16-bit collision) get <c>_2</c>, <c>_3</c>, … in
/// address order.
/// <para>
/// Why not count targets (<c>.L0</c>, <c>.L1</c>, or <c>func+n</c>): a branch inserted anywhere before a target
/// renumbers it and every later one, so one new <c>if</c> rewrites the whole rest of the function in a snapshot.
/// With context names a branch inserted in another function changes none of this function's labels, and one
/// inserted earlier in the same function changes only a label whose first instructions it lands in (plus the new
/// label of its own target). Instruction indices or slots as names would move with any insertion, and source lines
/// are often absent and move with comment-only edits.
/// </para>
/// </summary>
public static class StableLabels
{
    /// <summary>How many instructions from the target make its identity.</summary>
    public const int ContextLength = 3;

    /// <summary>Labels for <paramref name="targets"/> (instruction indices of jump targets in <paramref name="fn"/>).</summary>
    /// <param name="fn">The function.</param>
    /// <param name="targets">Jump targets, in any order, repeats allowed.</param>
    /// <param name="contextOf">The context text of a target (see the class summary).</param>
    /// <returns>Target index to label.</returns>
    public static SortedDictionary<int, string> Name(BpfFunction fn, IEnumerable<int> targets, Func<int, string> contextOf)
    {
        ArgumentNullException.ThrowIfNull(fn);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(contextOf);
        var labels = new SortedDictionary<int, string>();
        foreach (int t in targets)
        {
            labels[t] = string.Empty;
        }

        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (int t in labels.Keys.ToList())
        {
            var digest = SHA256.HashData(Encoding.UTF8.GetBytes(fn.Name + "\n" + contextOf(t)));
            string label = ".L" + Convert.ToHexStringLower(digest, 0, 2);
            int n = used.TryGetValue(label, out var seen) ? seen + 1 : 1;
            used[label] = n;
            labels[t] = n == 1 ? label : label + "_" + n.ToString(CultureInfo.InvariantCulture);
        }

        return labels;
    }

    /// <summary>
    /// The context text of a jump: its printed form cut after <c>goto</c> (condition and registers kept), or the whole
    /// text when it has no <c>goto</c>.
    /// </summary>
    public static string WithoutTarget(string jumpText)
    {
        ArgumentNullException.ThrowIfNull(jumpText);
        int at = jumpText.LastIndexOf("goto", StringComparison.Ordinal);
        return at < 0 ? jumpText : jumpText[..(at + 4)];
    }
}
