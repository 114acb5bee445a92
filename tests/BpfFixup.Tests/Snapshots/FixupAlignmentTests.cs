// SPDX-License-Identifier: MIT
using BpfFixup.Diff;
using BpfFixup.Rewrite;
using BpfFixup.Snapshots;

namespace BpfFixup.Tests.Snapshots;

/// <summary><c>diff --fixup</c> takes its alignment from the rewrite's map (issue 11): as small as the search's, and the same text.</summary>
public class FixupAlignmentTests
{
    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var path in TestPaths.AllSamples())
        {
            data.Add(Path.GetFileName(path), false);
            data.Add(Path.GetFileName(path), true);
        }

        return data;
    }

    /// <summary>The fixup of <paramref name="sample"/> and its loaded output, or null when it is rejected.</summary>
    private static (FixupPipeline.Outcome Outcome, BpfFixup.Model.BpfObject Patched)? Fixup(string sample, bool kernelInlines)
    {
        var outcome = FixupPipeline.Run(TestHelpers.LoadSample(sample), new RewriteOptions { KernelInlines = kernelInlines });
        return outcome.Patched is { } patched ? (outcome, patched) : null;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_maps_alignment_replays_and_is_no_longer_than_the_searched_one(string sample, bool kernelInlines)
    {
        if (Fixup(sample, kernelInlines) is not var (outcome, patched))
        {
            return; // rejected: nothing to align
        }

        var mapped = FixupDiff.OfFixup(outcome, null, 3);
        var before = ProgramListingRenderer.Render(outcome.Original!);
        var after = ProgramListingRenderer.Render(patched, outcome.Rewrite!.Inlined);
        var searched = ListingDiff.Compare(sample, before, sample + " (after fixup)", after, 3);
        Assert.Equal(searched.Programs.Select(p => (p.Key, p.Status)), mapped.Programs.Select(p => (p.Key, p.Status)));
        Assert.NotNull(FixupAlignment.AnchorsAfter(patched, outcome.Rewrite.Map));

        var anchorsBefore = new List<IReadOnlyList<RenderedFunction>>();
        var anchorsAfter = new List<IReadOnlyList<RenderedFunction>>();
        var a = ProgramListingRenderer.Render(outcome.Original!, null, true, false, FixupAlignment.Anchor, anchorsBefore);
        var b = ProgramListingRenderer.Render(patched, outcome.Rewrite.Inlined, true, false, FixupAlignment.AnchorsAfter(patched, outcome.Rewrite.Map), anchorsAfter);
        for (int i = 0; i < a.Count; i++)
        {
            var script = FixupAlignment.Align(a[i].Lines, anchorsBefore[i], b[i].Lines, anchorsAfter[i]);
            var oldKeys = a[i].Lines.Select(l => l.Compare).ToList();
            var newKeys = b[i].Lines.Select(l => l.Compare).ToList();
            Assert.Equal(newKeys, script.Apply(oldKeys, newKeys));
            Assert.All(script.Runs.Where(r => r.Kind == EditKind.Equal), r => Assert.Equal(oldKeys.GetRange(r.OldIndex, r.Count), newKeys.GetRange(r.NewIndex, r.Count)));
            Assert.Equal(StreamDiffer.Diff(oldKeys, newKeys).EditCount, script.EditCount);
        }

        Assert.Equal(searched.RenderUnified(), mapped.RenderUnified());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_stretch_searched_once_for_a_shared_subprogram_aligns_every_program_as_a_search_of_its_own_does(string sample, bool kernelInlines)
    {
        if (Fixup(sample, kernelInlines) is not var (outcome, patched))
        {
            return; // rejected: nothing to align
        }

        // Both sides from one cache (as diff --fixup renders them: ids compared), and from two (texts compared).
        foreach (bool oneCache in new[] { true, false })
        {
            var cache = new ListingCache();
            var functionsBefore = new List<IReadOnlyList<RenderedFunction>>();
            var functionsAfter = new List<IReadOnlyList<RenderedFunction>>();
            var a = ProgramListingRenderer.Render(outcome.Original!, null, true, false, FixupAlignment.Anchor, functionsBefore, cache);
            var b = ProgramListingRenderer.Render(patched, outcome.Rewrite!.Inlined, true, false, FixupAlignment.AnchorsAfter(patched, outcome.Rewrite.Map), functionsAfter, oneCache ? cache : new ListingCache());
            var known = new GapScripts();
            for (int i = 0; i < a.Count; i++)
            {
                var alone = FixupAlignment.Align(a[i].Lines, functionsBefore[i], b[i].Lines, functionsAfter[i]);
                var shared = FixupAlignment.Align(a[i].Lines, functionsBefore[i], b[i].Lines, functionsAfter[i], known);
                Assert.Equal(alone.Runs, shared.Runs);
            }
        }
    }

    [Fact]
    public void A_program_aligned_from_its_function_pairs_aligns_as_line_by_line()
    {
        int byPairsCount = 0;
        foreach (var (sample, kernelInlines) in Cases().Select(c => ((string)c[0], (bool)c[1])))
        {
            if (Fixup(sample, kernelInlines) is not var (outcome, patched))
            {
                continue; // rejected: nothing to align
            }

            var cache = new ListingCache();
            var functionsBefore = new List<IReadOnlyList<RenderedFunction>>();
            var functionsAfter = new List<IReadOnlyList<RenderedFunction>>();
            var a = ProgramListingRenderer.Render(outcome.Original!, null, true, false, FixupAlignment.Anchor, functionsBefore, cache);
            var b = ProgramListingRenderer.Render(patched, outcome.Rewrite!.Inlined, true, false, FixupAlignment.AnchorsAfter(patched, outcome.Rewrite.Map), functionsAfter, cache);
            var known = new GapScripts();
            var pairs = new PairScripts();
            for (int i = 0; i < a.Count; i++)
            {
                var alone = FixupAlignment.Align(a[i].Lines, functionsBefore[i], b[i].Lines, functionsAfter[i]);
                var byPairs = FixupAlignment.ByPairs(a[i].Lines, functionsBefore[i], b[i].Lines, functionsAfter[i], known, pairs);
                Assert.Equal(alone.Runs, (byPairs ?? alone).Runs);
                byPairsCount += byPairs is null ? 0 : 1;
            }
        }

        Assert.True(byPairsCount > 0, "no program was aligned from its function pairs");
    }
}
