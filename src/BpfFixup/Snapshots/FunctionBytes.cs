// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Text;

namespace BpfFixup.Snapshots;

/// <summary>
/// The UTF-8 of the functions the snapshots of one object show, as their files hold them (each line and an LF). A
/// function that several programs reach (a <c>.text</c> subprogram) is encoded once into one array, so each program's
/// file is compared with it by one comparison of memory instead of line by line; a function only one program reaches
/// is compared line by line, and costs no copy.
/// </summary>
internal sealed class FunctionBytes
{
    private readonly Dictionary<int[], int> reach = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<int[], byte[]?> made = new(ReferenceEqualityComparer.Instance);

    /// <summary>For the functions of <paramref name="listings"/> (each one's line ids per function, as the renderer shares them) drawn from <paramref name="cache"/>.</summary>
    public FunctionBytes(ListingLineCache cache, IEnumerable<IReadOnlyList<int[]>> listings)
    {
        Cache = cache;
        foreach (var functions in listings)
        {
            foreach (var ids in functions)
            {
                reach[ids] = reach.GetValueOrDefault(ids) + 1;
            }
        }
    }

    /// <summary>The cache the lines come from.</summary>
    public ListingLineCache Cache { get; }

    /// <summary>
    /// The bytes of function <paramref name="ids"/> when more than one listing shows it and all its lines encode; false
    /// otherwise (then compare it line by line).
    /// </summary>
    public bool TryGetShared(int[] ids, out byte[] bytes)
    {
        bytes = [];
        if (reach.GetValueOrDefault(ids) < 2)
        {
            return false;
        }

        if (!made.TryGetValue(ids, out var known))
        {
            known = Make(ids);
            made.Add(ids, known);
        }

        bytes = known ?? [];
        return known is not null;
    }

    /// <summary>The UTF-8 of the lines <paramref name="ids"/>, each and an LF; null when one does not encode (a lone surrogate).</summary>
    private byte[]? Make(int[] ids)
    {
        try
        {
            int length = 0;
            foreach (int id in ids)
            {
                var text = Cache[id].Text;
                length = checked(length + (Ascii.IsValid(text) ? text.Length : StrictUtf8.Encoding.GetByteCount(text)) + 1);
            }

            var result = new byte[length];
            int at = 0;
            foreach (int id in ids)
            {
                at += StrictUtf8.Encoding.GetBytes(Cache[id].Text, result.AsSpan(at));
                result[at++] = (byte)'\n';
            }

            return result;
        }
        catch (EncoderFallbackException)
        {
            return null;
        }
    }
}
