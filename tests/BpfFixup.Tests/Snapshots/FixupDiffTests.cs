// SPDX-License-Identifier: MIT
using BpfFixup.Diff;
using BpfFixup.Rewrite;
using BpfFixup.Snapshots;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Snapshots;

/// <summary><c>diff --fixup</c> of a hostile object: many programs reaching one large subprogram (issue 11).</summary>
public sealed class FixupDiffTests
{
    [Fact]
    public void Many_programs_calling_one_big_subprogram_give_a_diff_within_the_bound()
    {
        const int Programs = 150, Sites = 300;
        var obj = TestHelpers.Load(HostileObjects.SharedSubprogram(Programs, Sites), "shared.o");
        var outcome = FixupPipeline.Run(obj, new RewriteOptions());
        Assert.NotNull(outcome.Patched);
        var result = FixupDiff.OfFixup(outcome, null, 3);
        Assert.Equal(Programs, result.Programs.Count(p => p.Status == ProgramDiffStatus.Changed));

        // In full every program would print the subprogram's hunks again: programs x subprogram.
        long full = result.Programs.Sum(p => 2 + p.Hunks.Sum(h => 1L + h.Lines.Count));
        long budget = RepeatedHunks.Budget(result);
        Assert.True(full > 10 * budget, $"{full} lines in full, budget {budget}");

        string text = result.RenderUnified();
        int lines = text.Count(c => c == '\n');
        long largest = result.Programs.Max(p => 2 + p.Hunks.Sum(h => 1L + h.Lines.Count));
        Assert.InRange(lines, budget, budget + largest + (3 * Programs));
        Assert.Contains("# sub: 1 hunk(s) as shown for program fsession/f0/p0\n", text, StringComparison.Ordinal);

        // The input bounds the budget: 2 lines per listing line (each function once) + 4096.
        int listed = ProgramListingRenderer.Render(outcome.Original!).Concat(ProgramListingRenderer.Render(outcome.Patched, outcome.Rewrite!.Inlined))
            .SelectMany(l => l.Segments!).Distinct(ReferenceEqualityComparer.Instance).Sum(s => ((IReadOnlyList<ListingLine>)s!).Count);
        Assert.Equal((2L * listed) + 4096, budget);
    }
}
