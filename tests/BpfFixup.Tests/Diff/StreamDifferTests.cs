// SPDX-License-Identifier: MIT
using BpfFixup.Diff;
using CsCheck;

namespace BpfFixup.Tests.Diff;

public sealed class StreamDifferTests
{
    [Fact]
    public void Identical_sequences_have_no_changes_and_no_hunks()
    {
        string[] a = ["x", "y", "z"];
        var script = StreamDiffer.Diff(a, [.. a]);
        Assert.False(script.HasChanges);
        Assert.Empty(StreamDiffer.Hunks(script));
    }

    [Fact]
    public void Empty_inputs()
    {
        Assert.False(StreamDiffer.Diff([], []).HasChanges);
        Assert.Equal(2, StreamDiffer.Diff(["a", "b"], []).Deletions);
        Assert.Equal(2, StreamDiffer.Diff([], ["a", "b"]).Insertions);
    }

    [Fact]
    public void One_inserted_line_in_ten_thousand_is_one_insertion()
    {
        var a = Enumerable.Range(0, 10_000).Select(i => "insn " + (i % 37)).ToArray();
        var b = a.ToList();
        b.Insert(6_543, "call bpf_session_cookie");
        var script = StreamDiffer.Diff(a, b);
        Assert.Equal(1, script.Insertions);
        Assert.Equal(0, script.Deletions);
        var hunk = Assert.Single(StreamDiffer.Hunks(script, 3));
        Assert.Equal(7, hunk.Lines.Count);
        Assert.Equal("@@ -6541,6 +6541,7 @@", hunk.Header);
    }

    [Fact]
    public void Nearby_changes_share_a_hunk_and_distant_ones_do_not()
    {
        var a = Enumerable.Range(0, 40).Select(i => "l" + i).ToArray();
        var b = a.ToArray();
        b[10] = "x";
        b[16] = "y"; // 5 equal lines between: <= 2*3, one hunk
        b[30] = "z"; // 13 equal lines after: new hunk
        var hunks = StreamDiffer.Hunks(StreamDiffer.Diff(a, b), 3);
        Assert.Equal(["@@ -8,13 +8,13 @@", "@@ -28,7 +28,7 @@"], hunks.Select(h => h.Header));
    }

    [Fact]
    public void Zero_context_headers_follow_gnu_diff()
    {
        var hunks = StreamDiffer.Hunks(StreamDiffer.Diff(["a", "b", "c"], ["a", "X", "b", "c"]), 0);
        Assert.Equal("@@ -1,0 +2 @@", Assert.Single(hunks).Header);
        hunks = StreamDiffer.Hunks(StreamDiffer.Diff(["a", "b"], ["b"]), 0);
        Assert.Equal("@@ -1 +0,0 @@", Assert.Single(hunks).Header);
    }

    [Fact]
    public void Custom_comparer_is_used()
    {
        var script = StreamDiffer.Diff(["A", "b"], ["a", "B"], StringComparer.OrdinalIgnoreCase);
        Assert.False(script.HasChanges);
    }

    [Fact]
    public void Applying_the_script_gives_b_and_its_size_is_the_lcs_minimum()
    {
        var seq = Gen.Int[0, 4].Array[0, 40];
        Gen.Select(seq, seq).Sample((a, b) =>
        {
            var script = StreamDiffer.Diff(a, b, EqualityComparer<int>.Default);
            Assert.Equal(b, script.Apply(a, b));
            Assert.Equal(a.Length + b.Length - (2 * Lcs(a, b)), script.EditCount);
            CheckRunsCover(script, a.Length, b.Length);
        }, iter: 2000);
    }

    [Fact]
    public void Similar_sequences_round_trip_and_are_minimal()
    {
        // Mostly-equal pairs exercise prefix/suffix trimming and the middle snake with small D.
        var gen = Gen.Int[0, 6].Array[0, 200].SelectMany(a =>
            Gen.Int[0, a.Length].Array[0, 5].Select(Gen.Int[7, 9], (cuts, v) => (a, Mutate(a, cuts, v))));
        gen.Sample(t =>
        {
            var (a, b) = t;
            var script = StreamDiffer.Diff(a, b, EqualityComparer<int>.Default);
            Assert.Equal(b, script.Apply(a, b));
            Assert.Equal(a.Length + b.Length - (2 * Lcs(a, b)), script.EditCount);
        }, iter: 500);
    }

    [Fact]
    public void Costly_pairs_past_the_cost_limit_still_turn_a_into_b()
    {
        // Long sequences over a few ids differ in thousands of places: the searches hit the snake
        // heuristic and the cost limit (xdiff's mxcost), which must still give a valid script.
        var seq = Gen.Int[0, 3].Array[1_000, 3_000];
        Gen.Select(seq, seq, Gen.Int[0, 20]).Sample((a, b, unique) =>
        {
            var withUnique = b.Select((x, i) => i % 97 < unique ? 1000 + i : x).ToArray();
            var script = StreamDiffer.Diff(a, withUnique, EqualityComparer<int>.Default);
            Assert.Equal(withUnique, script.Apply(a, withUnique));
            CheckRunsCover(script, a.Length, withUnique.Length);
        }, iter: 60);
    }

    [Fact]
    public void The_cost_limit_gives_up_minimality_only_where_the_minimal_diff_is_costly()
    {
        var rng = new Random(8);
        var a = Enumerable.Range(0, 4_000).Select(_ => rng.Next(4)).ToArray();
        var b = Enumerable.Range(0, 4_000).Select(_ => rng.Next(4)).ToArray();
        var bounded = MyersDiff.Compute(a, b);
        var minimal = MyersDiff.Compute(a, b, minimal: true);
        Assert.Equal(b, bounded.Apply(a, b));
        Assert.Equal(b, minimal.Apply(a, b));
        Assert.Equal(a.Length + b.Length - (2 * Lcs(a, b)), minimal.EditCount);
        Assert.True(bounded.EditCount > minimal.EditCount, "the heuristics did not engage");
    }

    [Fact]
    public void Lines_found_on_one_side_only_are_changes_without_a_search()
    {
        // 200k lines, none in common: all deleted and inserted (xdl_cleanup_records), one change.
        var a = Enumerable.Range(0, 200_000).Select(i => "a" + i).ToArray();
        var b = Enumerable.Range(0, 200_000).Select(i => "b" + i).ToArray();
        var script = StreamDiffer.Diff(a, b);
        Assert.Equal([new EditRun(EditKind.Delete, 0, 0, 200_000), new EditRun(EditKind.Insert, 200_000, 0, 200_000)], script.Runs);
    }

    [Fact]
    public void An_inserted_copy_of_the_line_after_it_prints_after_what_it_was_inserted_after()
    {
        // Ties between minimal scripts are broken by sliding each change up (GNU diff's shift_boundaries).
        var script = StreamDiffer.Diff(["x", "r0 &= 1", "y"], ["x", "a", "r0 &= 1", "r0 &= 1", "y"]);
        Assert.Equal([new EditRun(EditKind.Equal, 0, 0, 1), new EditRun(EditKind.Insert, 1, 1, 2), new EditRun(EditKind.Equal, 1, 3, 2)], script.Runs);
    }

    private static int[] Mutate(int[] a, int[] positions, int value)
    {
        var list = a.ToList();
        foreach (var p in positions.OrderDescending())
        {
            if (p % 2 == 0 || p >= list.Count)
            {
                list.Insert(Math.Min(p, list.Count), value);
            }
            else
            {
                list.RemoveAt(p);
            }
        }

        return [.. list];
    }

    private static void CheckRunsCover(EditScript script, int n, int m)
    {
        int i = 0, j = 0;
        foreach (var run in script.Runs)
        {
            Assert.True(run.Count > 0);
            Assert.Equal(i, run.OldIndex);
            Assert.Equal(j, run.NewIndex);
            i += run.Kind == EditKind.Insert ? 0 : run.Count;
            j += run.Kind == EditKind.Delete ? 0 : run.Count;
        }

        Assert.Equal(n, i);
        Assert.Equal(m, j);
    }

    private static int Lcs(int[] a, int[] b)
    {
        var t = new int[a.Length + 1, b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                t[i, j] = a[i - 1] == b[j - 1] ? t[i - 1, j - 1] + 1 : Math.Max(t[i - 1, j], t[i, j - 1]);
            }
        }

        return t[a.Length, b.Length];
    }
}
