// SPDX-License-Identifier: MIT
using System.Runtime.CompilerServices;
using BpfFixup.Diff;

namespace BpfFixup.Snapshots;

/// <summary>
/// The edit scripts <see cref="FixupAlignment"/> searched for stretches between two anchors, by the lines they cover:
/// lines <c>FromA..FromA+LengthA</c> of one rendered function of the old listing against lines
/// <c>FromB..FromB+LengthB</c> of one of the new. A function is rendered once and shared by every program that shows
/// it, so a subprogram reached from many programs (a <c>.text</c> helper of thousands of program sections) has its
/// stretches searched once, not once per program. The script depends only on those lines, so reusing it gives the
/// same alignment.
/// </summary>
internal sealed class GapScripts
{
    private readonly Dictionary<Key, IReadOnlyList<EditRun>> scripts = [];

    /// <summary>The script found before for <paramref name="key"/> (runs indexed from the stretch's start).</summary>
    public bool TryGetValue(Key key, out IReadOnlyList<EditRun> script) => scripts.TryGetValue(key, out script!);

    /// <summary>Records the script of <paramref name="key"/>.</summary>
    public void Add(Key key, IReadOnlyList<EditRun> script) => scripts.Add(key, script);

    /// <summary>A stretch: the functions by identity (as rendered, shared), and the lines of each.</summary>
    internal readonly struct Key(RenderedFunction a, int fromA, int lengthA, RenderedFunction b, int fromB, int lengthB) : IEquatable<Key>
    {
        private readonly RenderedFunction a = a;
        private readonly RenderedFunction b = b;
        private readonly int fromA = fromA;
        private readonly int lengthA = lengthA;
        private readonly int fromB = fromB;
        private readonly int lengthB = lengthB;

        public bool Equals(Key other) => ReferenceEquals(a, other.a) && ReferenceEquals(b, other.b)
            && fromA == other.fromA && lengthA == other.lengthA && fromB == other.fromB && lengthB == other.lengthB;

        public override bool Equals(object? obj) => obj is Key other && Equals(other);

        public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(a), RuntimeHelpers.GetHashCode(b), fromA, lengthA, fromB, lengthB);
    }
}
