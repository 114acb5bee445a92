// SPDX-License-Identifier: MIT
using System.Runtime.CompilerServices;
using BpfFixup.Diff;

namespace BpfFixup.Snapshots;

/// <summary>
/// The alignment of one function of the old listing against one of the new (<see cref="FixupAlignment"/>), made once
/// and shared by every program that shows the pair: a <c>.text</c> subprogram reached from thousands of program
/// sections is aligned once, not once per program. Only a pair whose anchors all point into the old function (or
/// nowhere) is kept: its matches are then the same in every program that shows it, whatever else the program shows.
/// </summary>
internal sealed class PairScripts
{
    private readonly Dictionary<(RenderedFunction Old, RenderedFunction New), Interior?> pairs = new(Identity.Instance);

    /// <summary>The alignment made before for <paramref name="old"/> against <paramref name="new"/> (null: it cannot be shared).</summary>
    public bool TryGetValue(RenderedFunction old, RenderedFunction @new, out Interior? interior) => pairs.TryGetValue((old, @new), out interior);

    /// <summary>Records the alignment of <paramref name="old"/> against <paramref name="new"/>.</summary>
    public void Add(RenderedFunction old, RenderedFunction @new, Interior? interior) => pairs.Add((old, @new), interior);

    /// <summary>
    /// The runs of a function pair from its first matched line to its last, in lines counted from each function's first
    /// line: what comes before the first match and after the last belongs to the stretch the program's neighbouring
    /// functions share, and is diffed per program.
    /// </summary>
    /// <param name="FromA">The old function's first matched line (when <paramref name="Runs"/> is not empty).</param>
    /// <param name="FromB">The new function's first matched line.</param>
    /// <param name="ToA">The old function's line after its last match.</param>
    /// <param name="ToB">The new function's line after its last match.</param>
    /// <param name="Runs">The runs, none when no line matched.</param>
    internal sealed record Interior(int FromA, int FromB, int ToA, int ToB, EditRun[] Runs);

    /// <summary>Pairs of rendered functions by identity (a record's own equality would compare their fields).</summary>
    private sealed class Identity : IEqualityComparer<(RenderedFunction Old, RenderedFunction New)>
    {
        public static readonly Identity Instance = new();

        public bool Equals((RenderedFunction Old, RenderedFunction New) x, (RenderedFunction Old, RenderedFunction New) y) =>
            ReferenceEquals(x.Old, y.Old) && ReferenceEquals(x.New, y.New);

        public int GetHashCode((RenderedFunction Old, RenderedFunction New) obj) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(obj.Old), RuntimeHelpers.GetHashCode(obj.New));
    }
}
