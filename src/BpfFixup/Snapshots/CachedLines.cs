// SPDX-License-Identifier: MIT
using System.Collections;
using BpfFixup.Diff;

namespace BpfFixup.Snapshots;

/// <summary>
/// The lines of one rendered function read through their ids in the <see cref="ListingLineCache"/> they come from:
/// the function keeps one array of ids, not an array of references to the lines as well.
/// </summary>
internal sealed class CachedLines(int[] ids, ListingLineCache cache) : IReadOnlyList<ListingLine>
{
    /// <inheritdoc />
    public int Count => ids.Length;

    /// <inheritdoc />
    public ListingLine this[int index] => cache[ids[index]];

    /// <inheritdoc />
    public IEnumerator<ListingLine> GetEnumerator()
    {
        foreach (int id in ids)
        {
            yield return cache[id];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
