// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>
/// Myers' O(ND) difference algorithm with the linear-space "middle snake" refinement
/// (E. Myers, "An O(ND) Difference Algorithm and Its Variations", Algorithmica 1986, §4b), bounded the
/// way git's xdiff (xdiff/xdiffi.c, <c>xdl_do_diff</c>, <c>xdl_recs_cmp</c>, <c>xdl_split</c>;
/// xdiff/xprepare.c, <c>xdl_cleanup_records</c>) and GNU diff (analyze.c, <c>diag</c> with
/// <c>heuristic</c>, <c>TOO_EXPENSIVE</c>) bound it:
/// <list type="number">
/// <item>Lines of one side that occur nowhere in the other can never match; they are marked changed and
///   left out before the search (xdl_cleanup_records' "no match" case). The LCS is unchanged, so this keeps
///   the diff minimal.</item>
/// <item>Every sub-problem is trimmed of its common prefix and suffix, then split at a middle snake.</item>
/// <item>Once a split has cost more than <see cref="HeuristicMinCost"/> edits, a diagonal that has advanced
///   well and ends in a snake of <see cref="SnakeCount"/> equal lines is taken as a good-enough split
///   (xdiff's snake heuristic, XDL_HEUR_MIN_COST / XDL_SNAKE_CNT / XDL_K_HEUR).</item>
/// <item>Once it has cost <c>mxcost = max(bogosqrt(N+M+3), 256)</c> edits, the furthest-reaching diagonal
///   is taken (xdiff's "enough is enough", XDL_MAX_COST_MIN; GNU diff's TOO_EXPENSIVE).</item>
/// </list>
/// So a split costs O(mxcost·(N+M)) at most: the diff is minimal while it is cheap (fewer than 256 edits
/// between two synchronising snakes) and bounded when it is not. Memory is O(N+M); the recursion goes into
/// the smaller half only, so its depth is O(log(N+M)).
/// Works on interned integer ids; marks deleted A positions and inserted B positions (GNU diff style).
/// </summary>
internal sealed class MyersDiff
{
    /// <summary>xdiff's XDL_MAX_COST_MIN: the cost limit of one split is never below this.</summary>
    internal const int MaxCostMin = 256;

    /// <summary>xdiff's XDL_HEUR_MIN_COST: the snake heuristic starts after this many edits.</summary>
    internal const int HeuristicMinCost = 256;

    /// <summary>xdiff's XDL_SNAKE_CNT: the length of a snake the heuristic trusts.</summary>
    internal const int SnakeCount = 20;

    /// <summary>How far one group of changes slides up at most (<see cref="ShiftUp"/>).</summary>
    private const int MaxSliding = 256;

    /// <summary>xdiff's XDL_K_HEUR: how far (per edit) a diagonal must have advanced for the heuristic.</summary>
    private const int KHeuristic = 4;

    // The reduced sequences (lines that occur in both sides) and their positions in the originals.
    private readonly int[] ha1;
    private readonly int[] ha2;
    private readonly int[] index1;
    private readonly int[] index2;
    private readonly bool[] deleted;
    private readonly bool[] inserted;
    private readonly int[] kvdf;
    private readonly int[] kvdb;
    private readonly int diagonalOffset;
    private readonly int maxCost;

    private MyersDiff(ReadOnlySpan<int> a, ReadOnlySpan<int> b, bool minimal)
    {
        deleted = new bool[a.Length];
        inserted = new bool[b.Length];
        var (kept1, kept2) = DiscardUnmatched(a, b, deleted, inserted);

        // The first thing Compare does with the whole box is to walk the common prefix and suffix of the reduced
        // sequences. That walk is done here on the originals, passing the discarded lines, so that only the box it
        // leaves is copied out: two listings that differ in a few lines cost two passes and a small box, not two
        // reduced copies of every line (large objects, each one a full collection's worth of allocation). The box is
        // the one Compare would have been left with, so the search and the script are the same.
        int from1 = 0, from2 = 0, to1 = a.Length, to2 = b.Length;
        while (true)
        {
            from1 = NextKept(deleted, from1, to1);
            from2 = NextKept(inserted, from2, to2);
            if (from1 == to1 || from2 == to2 || a[from1] != b[from2])
            {
                break;
            }

            from1++;
            from2++;
        }

        while (true)
        {
            to1 = LastKept(deleted, from1, to1);
            to2 = LastKept(inserted, from2, to2);
            if (to1 == from1 || to2 == from2 || a[to1 - 1] != b[to2 - 1])
            {
                break;
            }

            to1--;
            to2--;
        }

        (ha1, index1) = Keep(a, from1, to1, deleted);
        (ha2, index2) = Keep(b, from2, to2, inserted);

        // Diagonals k = i1 - i2 run from -n2 to n1 in the box; one more on each side for the neighbours read. The
        // cost limit is that of the whole reduced sequences, as before the walk.
        kvdf = new int[ha1.Length + ha2.Length + 3];
        kvdb = new int[kvdf.Length];
        diagonalOffset = ha2.Length + 1;
        maxCost = minimal ? int.MaxValue : Math.Max(BogoSqrt(kept1 + kept2 + 3), MaxCostMin);
    }

    /// <summary>The first position from <paramref name="from"/> (before <paramref name="to"/>) of a line not discarded, or <paramref name="to"/>.</summary>
    private static int NextKept(bool[] discarded, int from, int to)
    {
        while (from < to && discarded[from])
        {
            from++;
        }

        return from;
    }

    /// <summary>The end of the last line not discarded before <paramref name="to"/> (after <paramref name="from"/>), or <paramref name="from"/>.</summary>
    private static int LastKept(bool[] discarded, int from, int to)
    {
        while (to > from && discarded[to - 1])
        {
            to--;
        }

        return to;
    }

    /// <summary>Computes an edit script between two id sequences: minimal where that is cheap.</summary>
    /// <param name="a">Sequence A (ids compare by value).</param>
    /// <param name="b">Sequence B.</param>
    /// <param name="minimal">Never give up minimality (xdiff's XDF_NEED_MINIMAL): O((N+M)·D) time.</param>
    public static EditScript Compute(ReadOnlySpan<int> a, ReadOnlySpan<int> b, bool minimal = false)
    {
        var diff = new MyersDiff(a, b, minimal);
        diff.Compare(0, diff.ha1.Length, 0, diff.ha2.Length, minimal);
        ShiftUp(a, diff.deleted);
        ShiftUp(b, diff.inserted);
        return BuildScript(diff.deleted, diff.inserted);
    }

    /// <summary>xdiff's xdl_bogosqrt: a power of two near √n, cheap and deterministic.</summary>
    internal static int BogoSqrt(int n)
    {
        var i = 1;
        for (; n > 0; n >>= 2)
        {
            i <<= 1;
        }

        return i;
    }

    /// <summary>
    /// Marks the lines of either side whose id never occurs on the other side (xdl_cleanup_records' nm == 0 case; its
    /// "too many matches" case is not taken, as it can lose minimality where the diff is cheap), and returns how many
    /// lines of each side are left: the lengths of the reduced sequences.
    /// </summary>
    private static (int Kept1, int Kept2) DiscardUnmatched(ReadOnlySpan<int> a, ReadOnlySpan<int> b, bool[] deleted, bool[] inserted)
    {
        var maxId = -1;
        foreach (var id in a)
        {
            maxId = Math.Max(maxId, id);
        }

        foreach (var id in b)
        {
            maxId = Math.Max(maxId, id);
        }

        var inA = new bool[maxId + 1];
        var inB = new bool[maxId + 1];
        foreach (var id in a)
        {
            inA[id] = true;
        }

        foreach (var id in b)
        {
            inB[id] = true;
        }

        return (Discard(a, inB, deleted), Discard(b, inA, inserted));
    }

    /// <summary>Marks the lines whose id is not in <paramref name="inOther"/> changed; the count of the others.</summary>
    private static int Discard(ReadOnlySpan<int> lines, bool[] inOther, bool[] changed)
    {
        var kept = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (inOther[lines[i]])
            {
                kept++;
            }
            else
            {
                changed[i] = true;
            }
        }

        return kept;
    }

    /// <summary>The lines of lines[from..to) not discarded (the reduced sequence's part), with their positions.</summary>
    private static (int[] Kept, int[] Index) Keep(ReadOnlySpan<int> lines, int from, int to, bool[] discarded)
    {
        var count = 0;
        for (var i = from; i < to; i++)
        {
            count += discarded[i] ? 0 : 1;
        }

        var kept = new int[count];
        var index = new int[count];
        var k = 0;
        for (var i = from; i < to; i++)
        {
            if (!discarded[i])
            {
                kept[k] = lines[i];
                index[k++] = i;
            }
        }

        return (kept, index);
    }

    /// <summary>xdl_recs_cmp: the box [off1, lim1) × [off2, lim2) of the reduced sequences.</summary>
    private void Compare(int off1, int lim1, int off2, int lim2, bool needMin)
    {
        while (true)
        {
            // Shrink the box by walking through each diagonal snake (SW and NE).
            while (off1 < lim1 && off2 < lim2 && ha1[off1] == ha2[off2])
            {
                off1++;
                off2++;
            }

            while (off1 < lim1 && off2 < lim2 && ha1[lim1 - 1] == ha2[lim2 - 1])
            {
                lim1--;
                lim2--;
            }

            if (off1 == lim1)
            {
                MarkInserted(off2, lim2);
                return;
            }

            if (off2 == lim2)
            {
                MarkDeleted(off1, lim1);
                return;
            }

            var split = Split(off1, lim1, off2, lim2, needMin);
            if ((split.I1 == off1 && split.I2 == off2) || (split.I1 == lim1 && split.I2 == lim2))
            {
                // No progress (cannot happen with a trimmed box; kept so the loop always ends).
                MarkDeleted(off1, lim1);
                MarkInserted(off2, lim2);
                return;
            }

            // Recurse into the smaller half, loop on the other (stack depth O(log(N+M))).
            if ((split.I1 - off1) + (split.I2 - off2) <= (lim1 - split.I1) + (lim2 - split.I2))
            {
                Compare(off1, split.I1, off2, split.I2, split.MinLow);
                (off1, off2, needMin) = (split.I1, split.I2, split.MinHigh);
            }
            else
            {
                Compare(split.I1, lim1, split.I2, lim2, split.MinHigh);
                (lim1, lim2, needMin) = (split.I1, split.I2, split.MinLow);
            }
        }
    }

    private void MarkDeleted(int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            deleted[index1[i]] = true;
        }
    }

    private void MarkInserted(int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            inserted[index2[i]] = true;
        }
    }

    /// <summary>
    /// xdl_split: runs the forward and backward searches of the box at the same time, one edit per round,
    /// until they meet (an optimal split point), or until the heuristics above accept a split. The
    /// forward search keeps, per diagonal d = i1 - i2, the furthest i1 reached (kvdf); the backward one
    /// the lowest i1 (kvdb). <see cref="SplitPoint.MinLow"/>/<see cref="SplitPoint.MinHigh"/> say whether
    /// each half must still be solved minimally.
    /// </summary>
    private SplitPoint Split(int off1, int lim1, int off2, int lim2, bool needMin)
    {
        int dmin = off1 - lim2, dmax = lim1 - off2;
        int fmid = off1 - off2, bmid = lim1 - lim2;
        var odd = ((fmid - bmid) & 1) != 0;
        int fmin = fmid, fmax = fmid;
        int bmin = bmid, bmax = bmid;
        var o = diagonalOffset;

        kvdf[o + fmid] = off1;
        kvdb[o + bmid] = lim1;

        for (var ec = 1; ; ec++)
        {
            var gotSnake = false;

            // Extend the forward diagonal range by one on each side, or shrink it where it hit the box.
            if (fmin > dmin)
            {
                kvdf[o + --fmin - 1] = -1;
            }
            else
            {
                ++fmin;
            }

            if (fmax < dmax)
            {
                kvdf[o + ++fmax + 1] = -1;
            }
            else
            {
                --fmax;
            }

            for (var d = fmax; d >= fmin; d -= 2)
            {
                var i1 = kvdf[o + d - 1] >= kvdf[o + d + 1] ? kvdf[o + d - 1] + 1 : kvdf[o + d + 1];
                var prev1 = i1;
                var i2 = i1 - d;
                while (i1 < lim1 && i2 < lim2 && ha1[i1] == ha2[i2])
                {
                    i1++;
                    i2++;
                }

                gotSnake |= i1 - prev1 > SnakeCount;
                kvdf[o + d] = i1;
                if (odd && bmin <= d && d <= bmax && kvdb[o + d] <= i1)
                {
                    return new SplitPoint(i1, i2, true, true);
                }
            }

            if (bmin > dmin)
            {
                kvdb[o + --bmin - 1] = int.MaxValue;
            }
            else
            {
                ++bmin;
            }

            if (bmax < dmax)
            {
                kvdb[o + ++bmax + 1] = int.MaxValue;
            }
            else
            {
                --bmax;
            }

            for (var d = bmax; d >= bmin; d -= 2)
            {
                var i1 = kvdb[o + d - 1] < kvdb[o + d + 1] ? kvdb[o + d - 1] : kvdb[o + d + 1] - 1;
                var prev1 = i1;
                var i2 = i1 - d;
                while (i1 > off1 && i2 > off2 && ha1[i1 - 1] == ha2[i2 - 1])
                {
                    i1--;
                    i2--;
                }

                gotSnake |= prev1 - i1 > SnakeCount;
                kvdb[o + d] = i1;
                if (!odd && fmin <= d && d <= fmax && i1 <= kvdf[o + d])
                {
                    return new SplitPoint(i1, i2, true, true);
                }
            }

            if (needMin)
            {
                continue;
            }

            if (gotSnake && ec > HeuristicMinCost
                && (GoodSnakeForward(ec, off1, lim1, off2, lim2, fmin, fmax, fmid) is { } forward))
            {
                return forward;
            }

            if (gotSnake && ec > HeuristicMinCost
                && (GoodSnakeBackward(ec, off1, lim1, off2, lim2, bmin, bmax, bmid) is { } backward))
            {
                return backward;
            }

            if (ec >= maxCost)
            {
                return FurthestReaching(off1, lim1, off2, lim2, fmin, fmax, bmin, bmax);
            }
        }
    }

    /// <summary>
    /// The forward half of xdiff's snake heuristic: the diagonal that has advanced furthest (less its
    /// distance from the middle diagonal), by more than XDL_K_HEUR per edit, and that ends in a snake of at
    /// least <see cref="SnakeCount"/> lines inside the box. The part before it is then solved minimally.
    /// </summary>
    private SplitPoint? GoodSnakeForward(int ec, int off1, int lim1, int off2, int lim2, int fmin, int fmax, int fmid)
    {
        var best = 0;
        SplitPoint? found = null;
        for (var d = fmax; d >= fmin; d -= 2)
        {
            var dd = d > fmid ? d - fmid : fmid - d;
            var i1 = kvdf[diagonalOffset + d];
            var i2 = i1 - d;
            var v = (i1 - off1) + (i2 - off2) - dd;
            if (v > KHeuristic * ec && v > best
                && off1 + SnakeCount <= i1 && i1 < lim1
                && off2 + SnakeCount <= i2 && i2 < lim2
                && SnakeBefore(i1, i2))
            {
                best = v;
                found = new SplitPoint(i1, i2, true, false);
            }
        }

        return found;
    }

    /// <summary>The backward half of the snake heuristic (see <see cref="GoodSnakeForward"/>).</summary>
    private SplitPoint? GoodSnakeBackward(int ec, int off1, int lim1, int off2, int lim2, int bmin, int bmax, int bmid)
    {
        var best = 0;
        SplitPoint? found = null;
        for (var d = bmax; d >= bmin; d -= 2)
        {
            var dd = d > bmid ? d - bmid : bmid - d;
            var i1 = kvdb[diagonalOffset + d];
            var i2 = i1 - d;
            var v = (lim1 - i1) + (lim2 - i2) - dd;
            if (v > KHeuristic * ec && v > best
                && off1 < i1 && i1 <= lim1 - SnakeCount
                && off2 < i2 && i2 <= lim2 - SnakeCount
                && SnakeAfter(i1, i2))
            {
                best = v;
                found = new SplitPoint(i1, i2, false, true);
            }
        }

        return found;
    }

    /// <summary>Whether the <see cref="SnakeCount"/> lines before (i1, i2) are equal on both sides.</summary>
    private bool SnakeBefore(int i1, int i2) => SnakeAfter(i1 - SnakeCount, i2 - SnakeCount);

    /// <summary>Whether the <see cref="SnakeCount"/> lines from (i1, i2) on are equal on both sides.</summary>
    private bool SnakeAfter(int i1, int i2) => ha1.AsSpan(i1, SnakeCount).SequenceEqual(ha2.AsSpan(i2, SnakeCount));

    /// <summary>
    /// xdiff's "enough is enough": of the forward and the backward fronts, the diagonal whose point has
    /// got furthest from its corner (clipped to the box) becomes the split; the half it leaves behind has
    /// been searched fully and is solved minimally.
    /// </summary>
    private SplitPoint FurthestReaching(int off1, int lim1, int off2, int lim2, int fmin, int fmax, int bmin, int bmax)
    {
        long fbest = -1;
        var fbest1 = -1;
        for (var d = fmax; d >= fmin; d -= 2)
        {
            var i1 = Math.Min(kvdf[diagonalOffset + d], lim1);
            var i2 = i1 - d;
            if (lim2 < i2)
            {
                i1 = lim2 + d;
                i2 = lim2;
            }

            if (fbest < (long)i1 + i2)
            {
                fbest = (long)i1 + i2;
                fbest1 = i1;
            }
        }

        var bbest = long.MaxValue;
        var bbest1 = int.MaxValue;
        for (var d = bmax; d >= bmin; d -= 2)
        {
            var i1 = Math.Max(off1, kvdb[diagonalOffset + d]);
            var i2 = i1 - d;
            if (i2 < off2)
            {
                i1 = off2 + d;
                i2 = off2;
            }

            if ((long)i1 + i2 < bbest)
            {
                bbest = (long)i1 + i2;
                bbest1 = i1;
            }
        }

        return ((long)lim1 + lim2) - bbest < fbest - ((long)off1 + off2)
            ? new SplitPoint(fbest1, (int)(fbest - fbest1), true, false)
            : new SplitPoint(bbest1, (int)(bbest - bbest1), false, true);
    }

    /// <summary>
    /// Slides every group of changed lines of one side up while the line above it equals its last line,
    /// merging with the group above when they meet (GNU diff's <c>shift_boundaries</c>, the first pass of
    /// xdiff's <c>xdl_change_compact</c>). The lines that stay unchanged are the same, so the script stays
    /// valid and just as short; ties between equally short scripts are broken the same way whichever split
    /// the search took, so an inserted sequence prints as one block after what it was inserted after.
    /// A group slides at most <see cref="MaxSliding"/> lines, so the pass is linear.
    /// </summary>
    private static void ShiftUp(ReadOnlySpan<int> lines, bool[] changed)
    {
        var i = 0;
        while (i < lines.Length)
        {
            if (!changed[i])
            {
                i++;
                continue;
            }

            var start = i;
            while (i < lines.Length && changed[i])
            {
                i++;
            }

            var end = i;
            for (var slid = 0; slid < MaxSliding && start > 0 && !changed[start - 1] && lines[start - 1] == lines[end - 1]; slid++)
            {
                changed[--start] = true;
                changed[--end] = false;
                while (start > 0 && changed[start - 1])
                {
                    start--;
                }
            }
        }
    }

    private static EditScript BuildScript(bool[] deleted, bool[] inserted)
    {
        var runs = new List<EditRun>();
        int i = 0, j = 0;
        int n = deleted.Length, m = inserted.Length;
        while (i < n || j < m)
        {
            if (i < n && deleted[i])
            {
                var start = i;
                while (i < n && deleted[i])
                {
                    i++;
                }

                runs.Add(new EditRun(EditKind.Delete, start, j, i - start));
            }
            else if (j < m && inserted[j])
            {
                var start = j;
                while (j < m && inserted[j])
                {
                    j++;
                }

                runs.Add(new EditRun(EditKind.Insert, i, start, j - start));
            }
            else
            {
                int si = i, sj = j;
                while (i < n && j < m && !deleted[i] && !inserted[j])
                {
                    i++;
                    j++;
                }

                if (i == si)
                {
                    throw new InvalidOperationException("Inconsistent diff marks (internal error).");
                }

                runs.Add(new EditRun(EditKind.Equal, si, sj, i - si));
            }
        }

        return new EditScript(runs, n, m);
    }

    /// <summary>A split point of a box and whether each half must be solved minimally.</summary>
    private readonly record struct SplitPoint(int I1, int I2, bool MinLow, bool MinHigh);
}
