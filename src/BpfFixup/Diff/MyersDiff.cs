// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>
/// Myers' O(ND) difference algorithm with the linear-space "middle snake" refinement
/// (E. Myers, "An O(ND) Difference Algorithm and Its Variations", Algorithmica 1986, §4b),
/// after trimming the common prefix and suffix of every sub-problem. The bisection follows the
/// structure of diff-match-patch's <c>diff_bisect</c>, which clips diagonals that leave the edit grid.
/// Works on interned integer ids; marks deleted A positions and inserted B positions (GNU diff style).
/// Memory is O(N+M); time is O((N+M)·D), so two long inputs differing in a few places stay near-linear.
/// </summary>
internal sealed class MyersDiff
{
    private readonly int[] a;
    private readonly int[] b;
    private readonly bool[] deleted;
    private readonly bool[] inserted;

    private MyersDiff(int[] a, int[] b)
    {
        this.a = a;
        this.b = b;
        deleted = new bool[a.Length];
        inserted = new bool[b.Length];
    }

    /// <summary>Computes a minimal edit script between two id sequences.</summary>
    public static EditScript Compute(int[] a, int[] b)
    {
        var diff = new MyersDiff(a, b);
        diff.Solve(0, a.Length, 0, b.Length);
        return diff.BuildScript();
    }

    private void Solve(int aLo, int aHi, int bLo, int bHi)
    {
        while (true)
        {
            while (aLo < aHi && bLo < bHi && a[aLo] == b[bLo])
            {
                aLo++;
                bLo++;
            }

            while (aLo < aHi && bLo < bHi && a[aHi - 1] == b[bHi - 1])
            {
                aHi--;
                bHi--;
            }

            if (aLo == aHi)
            {
                inserted.AsSpan(bLo, bHi - bLo).Fill(true);
                return;
            }

            if (bLo == bHi)
            {
                deleted.AsSpan(aLo, aHi - aLo).Fill(true);
                return;
            }

            var (x, y) = Bisect(aLo, aHi, bLo, bHi);
            if (x < 0)
            {
                // No common line at all: everything changes.
                deleted.AsSpan(aLo, aHi - aLo).Fill(true);
                inserted.AsSpan(bLo, bHi - bLo).Fill(true);
                return;
            }

            // Recurse on the smaller half, loop on the other (bounded stack depth).
            if ((x - aLo) + (y - bLo) <= (aHi - x) + (bHi - y))
            {
                Solve(aLo, x, bLo, y);
                aLo = x;
                bLo = y;
            }
            else
            {
                Solve(x, aHi, y, bHi);
                aHi = x;
                bHi = y;
            }
        }
    }

    /// <summary>
    /// Finds a point on an optimal path that splits the problem into two strictly smaller ones,
    /// or (-1, -1) when A and B share no line. Prefix and suffix are already trimmed (so D ≥ 2).
    /// </summary>
    private (int X, int Y) Bisect(int aLo, int aHi, int bLo, int bHi)
    {
        var n = aHi - aLo;
        var m = bHi - bLo;
        var maxD = (n + m + 1) / 2;
        var offset = maxD;
        var length = (2 * maxD) + 2;
        var v1 = new int[length];
        var v2 = new int[length];
        v1.AsSpan().Fill(-1);
        v2.AsSpan().Fill(-1);
        v1[offset + 1] = 0;
        v2[offset + 1] = 0;
        var delta = n - m;
        var front = (delta & 1) != 0;
        int k1Start = 0, k1End = 0, k2Start = 0, k2End = 0;

        for (var d = 0; d < maxD; d++)
        {
            for (var k1 = -d + k1Start; k1 <= d - k1End; k1 += 2)
            {
                var k1Offset = offset + k1;
                var x1 = k1 == -d || (k1 != d && v1[k1Offset - 1] < v1[k1Offset + 1])
                    ? v1[k1Offset + 1]
                    : v1[k1Offset - 1] + 1;
                var y1 = x1 - k1;
                while (x1 < n && y1 < m && a[aLo + x1] == b[bLo + y1])
                {
                    x1++;
                    y1++;
                }

                v1[k1Offset] = x1;
                if (x1 > n)
                {
                    k1End += 2;
                }
                else if (y1 > m)
                {
                    k1Start += 2;
                }
                else if (front)
                {
                    var k2Offset = offset + delta - k1;
                    if (k2Offset >= 0 && k2Offset < length && v2[k2Offset] != -1 && x1 >= n - v2[k2Offset])
                    {
                        return (aLo + x1, bLo + y1);
                    }
                }
            }

            for (var k2 = -d + k2Start; k2 <= d - k2End; k2 += 2)
            {
                var k2Offset = offset + k2;
                var x2 = k2 == -d || (k2 != d && v2[k2Offset - 1] < v2[k2Offset + 1])
                    ? v2[k2Offset + 1]
                    : v2[k2Offset - 1] + 1;
                var y2 = x2 - k2;
                while (x2 < n && y2 < m && a[aHi - x2 - 1] == b[bHi - y2 - 1])
                {
                    x2++;
                    y2++;
                }

                v2[k2Offset] = x2;
                if (x2 > n)
                {
                    k2End += 2;
                }
                else if (y2 > m)
                {
                    k2Start += 2;
                }
                else if (!front)
                {
                    var k1Offset = offset + delta - k2;
                    if (k1Offset >= 0 && k1Offset < length && v1[k1Offset] != -1)
                    {
                        var x1 = v1[k1Offset];
                        var y1 = x1 - (k1Offset - offset);
                        if (x1 >= n - x2)
                        {
                            return (aLo + x1, bLo + y1);
                        }
                    }
                }
            }
        }

        return (-1, -1);
    }

    private EditScript BuildScript()
    {
        var runs = new List<EditRun>();
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            if (i < a.Length && deleted[i])
            {
                var start = i;
                while (i < a.Length && deleted[i])
                {
                    i++;
                }

                runs.Add(new EditRun(EditKind.Delete, start, j, i - start));
            }
            else if (j < b.Length && inserted[j])
            {
                var start = j;
                while (j < b.Length && inserted[j])
                {
                    j++;
                }

                runs.Add(new EditRun(EditKind.Insert, i, start, j - start));
            }
            else
            {
                int si = i, sj = j;
                while (i < a.Length && j < b.Length && !deleted[i] && !inserted[j])
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

        return new EditScript(runs, a.Length, b.Length);
    }
}
