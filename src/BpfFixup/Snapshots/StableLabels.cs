// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BpfFixup.Model;

namespace BpfFixup.Snapshots;

/// <summary>
/// Names the jump targets of one function for review listings so that a label changes only when its target's
/// identity does. A label is <c>.L</c> and four hex digits of SHA-256 over the function's name and the target's
/// <i>identity</i>, which the caller gives: the text of the source line the target belongs to (BTF line_info, without
/// its number), or where there is none (assembler, no <c>-g</c>) the first <see cref="ContextLength"/> instructions
/// from the target as the object had them before the fixup (an inlined site counts as the one call it replaced, so
/// labels before and after the fixup are the same; jumps are cut after <c>goto</c>, their offsets depend on code
/// elsewhere). Targets that share one source line (inline assembly, a loop header) are told apart by adding those
/// instructions to the line. Targets with equal digits still (the same code on one line, or a 16-bit collision) get
/// <c>_2</c>, <c>_3</c>, … in address order.
/// <para>
/// Why not count targets (<c>.L0</c>, <c>.L1</c>, or <c>func+n</c>): a branch inserted before a target that makes a new
/// target renumbers every later one, so one new <c>if</c> rewrites the rest of the function. Why the source line
/// rather than the instructions first: an inserted branch often makes clang allocate registers differently further
/// down, which changes the instructions at an old target but not the statement it starts. So a branch inserted in
/// another function changes none of this function's labels, and one inserted in the same function adds its own label
/// and changes no other. Line numbers would move with
/// comment-only edits; instruction indices or slots with any insertion.
/// </para>
/// </summary>
public static class StableLabels
{
    /// <summary>How many instructions from the target make its identity where there is no source line.</summary>
    public const int ContextLength = 3;

    /// <summary>Labels for <paramref name="targets"/> (instruction indices of jump targets in <paramref name="fn"/>).</summary>
    /// <param name="fn">The function.</param>
    /// <param name="targets">Jump targets, in any order, repeats allowed.</param>
    /// <param name="identityOf">
    /// The identity of a target (see the class summary): its source line (or its code where it has none), and its
    /// code, which tells apart the targets of one source line.
    /// </param>
    /// <returns>Target index to label.</returns>
    public static SortedDictionary<int, string> Name(BpfFunction fn, IEnumerable<int> targets, Func<int, (string Line, string Code)> identityOf)
    {
        ArgumentNullException.ThrowIfNull(fn);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(identityOf);
        var labels = new SortedDictionary<int, string>();
        foreach (int t in targets)
        {
            labels[t] = string.Empty;
        }

        var identities = labels.Keys.ToDictionary(t => t, identityOf);
        var perLine = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (line, _) in identities.Values)
        {
            perLine[line] = perLine.GetValueOrDefault(line) + 1;
        }

        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (int t in labels.Keys.ToList())
        {
            var (line, code) = identities[t];
            string key = perLine[line] == 1 ? line : line + "\n" + code;
            var digest = SHA256.HashData(Encoding.UTF8.GetBytes(fn.Name + "\n" + key));
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
