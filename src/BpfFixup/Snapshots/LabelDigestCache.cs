// SPDX-License-Identifier: MIT
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace BpfFixup.Snapshots;

/// <summary>
/// The <c>.L</c> digests (<see cref="StableLabels"/>, before any <c>_n</c>) already made for the listings of one
/// comparison, by function name, identity line and (when it is needed) code. Each text is numbered once, in a table
/// keyed by the string alone (ordinal: the dictionary then hashes it without the randomised hash a tuple of strings
/// gets), and the digest is found by the three numbers: a label costs one hash of its line, not three randomised
/// string hashes and their combination per probe (1.6 % of the instructions of <c>diff A B</c> on 40 programs of
/// 200,000 slots, 1.4 % on 2,000).
/// </summary>
internal sealed class LabelDigestCache
{
    private readonly Dictionary<string, int> texts = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Function, int Line, int Code), string> digests = [];

    /// <summary>The number of <paramref name="text"/> (from 1; 0 stands for no text).</summary>
    public int IdOf(string? text)
    {
        if (text is null)
        {
            return 0;
        }

        ref int id = ref CollectionsMarshal.GetValueRefOrAddDefault(texts, text, out bool exists);
        if (!exists)
        {
            id = texts.Count;
        }

        return id;
    }

    /// <summary>The digest made before for these numbers (<see cref="IdOf"/>), if any.</summary>
    public bool TryGet(int function, int line, int code, [NotNullWhen(true)] out string? digest) => digests.TryGetValue((function, line, code), out digest);

    /// <summary>Records <paramref name="digest"/> for these numbers.</summary>
    public void Add(int function, int line, int code, string digest) => digests.Add((function, line, code), digest);
}
