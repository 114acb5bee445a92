// SPDX-License-Identifier: MIT
using System.Globalization;
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
        var sorted = targets.Distinct().Order().ToArray();
        var identities = new (string Line, string? Code)[sorted.Length];
        for (int k = 0; k < sorted.Length; k++)
        {
            identities[k] = identityOf(sorted[k]);
        }

        var names = Names(fn.Name, identities);
        var labels = new SortedDictionary<int, string>();
        for (int k = 0; k < sorted.Length; k++)
        {
            labels[sorted[k]] = names[k];
        }

        return labels;
    }

    /// <summary>
    /// The labels of a function's jump targets, given in address order without repeats, from their identities (see
    /// <see cref="Name"/>): one SHA-256 (<see cref="LabelDigest"/>) per target over the UTF-8 of <c>name\nkey</c>, hashed from a reused buffer.
    /// </summary>
    /// <param name="functionName">The function's name.</param>
    /// <param name="identities">Each target's line and code; a null code is made by <paramref name="codeOf"/> (its index) if it is needed.</param>
    /// <param name="digests">Digests already made, shared by the listings of one comparison; null for none.</param>
    /// <param name="codeOf">The code of target k where <paramref name="identities"/> leaves it null.</param>
    /// <param name="scratch">Buffers reused from one function to the next (a renderer labels thousands); null for new ones.</param>
    internal static string[] Names(string functionName, (string Line, string? Code)[] identities, LabelDigestCache? digests = null, Func<int, string>? codeOf = null, Scratch? scratch = null)
    {
        scratch ??= new Scratch();
        var perLine = scratch.PerLine;
        var used = scratch.Used;
        perLine.Clear();
        used.Clear();
        foreach (var (line, _) in identities)
        {
            perLine[line] = perLine.GetValueOrDefault(line) + 1;
        }

        var names = new string[identities.Length];
        int functionId = digests?.IdOf(functionName) ?? 0;
        byte[] buffer = scratch.Buffer;
        Span<byte> digest = stackalloc byte[LabelDigest.Size];
        for (int k = 0; k < identities.Length; k++)
        {
            var (line, code) = identities[k];
            bool withCode = perLine[line] != 1;
            if (withCode && code is null)
            {
                code = codeOf?.Invoke(k) ?? throw new ArgumentException("a target's code is needed and not given", nameof(codeOf));
            }

            string? keyCode = withCode ? code : null;
            int lineId = digests?.IdOf(line) ?? 0, codeId = digests?.IdOf(keyCode) ?? 0;
            if (digests is null || !digests.TryGet(functionId, lineId, codeId, out string? label))
            {
                label = Digest(functionName, line, keyCode, ref buffer, digest);
                digests?.Add(functionId, lineId, codeId, label);
            }

            int count = used.TryGetValue(label, out var seen) ? seen + 1 : 1;
            used[label] = count;
            names[k] = count == 1 ? label : label + "_" + count.ToString(CultureInfo.InvariantCulture);
        }

        scratch.Buffer = buffer;
        return names;
    }

    /// <summary>What <see cref="Names"/> reuses from one call to the next: its two counts and its UTF-8 buffer.</summary>
    internal sealed class Scratch
    {
        /// <summary>Byte buffer of <see cref="Digest"/>'s message; grown as needed.</summary>
        public byte[] Buffer { get; set; } = [];

        /// <summary>How many targets have each line.</summary>
        public Dictionary<string, int> PerLine { get; } = new(StringComparer.Ordinal);

        /// <summary>How many targets got each digest so far.</summary>
        public Dictionary<string, int> Used { get; } = new(StringComparer.Ordinal);
    }

    /// <summary><c>.L</c> and the first four hex digits of SHA-256 over the UTF-8 of <c>name\nline</c> or <c>name\nline\ncode</c>.</summary>
    private static string Digest(string functionName, string line, string? code, ref byte[] buffer, Span<byte> digest)
    {
        // The UTF-8 of fn.Name + "\n" + key, key = line or line + "\n" + code: the parts are joined by an LF, so
        // encoding them one by one gives the bytes of the joined string.
        int max = Encoding.UTF8.GetMaxByteCount(functionName.Length + line.Length + (code?.Length ?? 0) + 2);
        if (buffer.Length < max)
        {
            buffer = new byte[Math.Max(max, buffer.Length * 2)];
        }

        int n = Encoding.UTF8.GetBytes(functionName, buffer);
        buffer[n++] = (byte)'\n';
        n += Encoding.UTF8.GetBytes(line, buffer.AsSpan(n));
        if (code is not null)
        {
            buffer[n++] = (byte)'\n';
            n += Encoding.UTF8.GetBytes(code, buffer.AsSpan(n));
        }

        LabelDigest.Hash(buffer.AsSpan(0, n), digest);
        return ".L" + Convert.ToHexStringLower(digest[..2]);
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
