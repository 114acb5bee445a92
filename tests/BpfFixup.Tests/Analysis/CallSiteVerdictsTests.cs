// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;

namespace BpfFixup.Tests.Analysis;

/// <summary>
/// A program's verdicts are kept as runs of consecutive sites with one outcome id, the distinct outcomes in one table per
/// object (CallSiteVerdicts): read back, they are the verdicts that were added,
/// in order, and equal outcomes share one entry.
/// </summary>
public class CallSiteVerdictsTests
{
    [Fact]
    public void Reads_back_what_was_added_and_shares_equal_outcomes()
    {
        var obj = TestHelpers.LoadSample("session_multi-el.o");
        Assert.True(obj.SessionCallSites.Count >= 2);
        var program = obj.Programs[0];
        var outcomes = new CallSiteVerdicts.Outcomes();
        var verdicts = new CallSiteVerdicts(program, obj.SessionCallSites, outcomes);
        var ctx = new RegValue { Types = RegTypes.Ctx };
        var expected = new List<CallSiteVerdict>();
        for (int i = 0; i < obj.SessionCallSites.Count; i++)
        {
            var site = obj.SessionCallSites[i];
            var (action, r1, reason) = i % 3 == 2 ? (SiteAction.Reject, RegValue.Scalar, "R1 type=scalar expected=ctx") : (SiteAction.Inline, ctx, "inlined");
            verdicts.Add(i, outcomes.IdOf(action, r1, reason));
            expected.Add(new CallSiteVerdict(site, program, action, r1, reason));
        }

        Assert.Equal(expected, verdicts);
        Assert.Equal(expected.Count, verdicts.Count);
        Assert.Equal(expected[^1], verdicts[^1]);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], verdicts[i]); // through the runs' search, not the enumerator
        }

        Assert.Equal(outcomes.IdOf(SiteAction.Inline, ctx, "inlined"), outcomes.IdOf(SiteAction.Inline, ctx, "inlined"));
        Assert.NotEqual(outcomes.IdOf(SiteAction.Inline, ctx, "inlined"), outcomes.IdOf(SiteAction.Keep, ctx, "inlined"));
        Assert.NotEqual(outcomes.IdOf(SiteAction.Inline, ctx, "inlined"), outcomes.IdOf(SiteAction.Inline, RegValue.Scalar, "inlined"));
    }

    [Fact]
    public void A_gap_or_another_outcome_starts_a_new_run()
    {
        var obj = TestHelpers.LoadSample("session_asm-el.o");
        int n = obj.SessionCallSites.Count;
        Assert.True(n >= 8);
        var program = obj.Programs[0];
        var outcomes = new CallSiteVerdicts.Outcomes();
        int inline = outcomes.IdOf(SiteAction.Inline, RegValue.Ctx, "inlined"), reject = outcomes.IdOf(SiteAction.Reject, RegValue.Scalar, "no");
        var verdicts = new CallSiteVerdicts(program, obj.SessionCallSites, outcomes);
        var added = new List<(int Position, int Outcome)>();
        for (int p = 0; p < n; p++)
        {
            if (p % 4 == 1)
            {
                continue; // a site this program does not reach
            }

            added.Add((p, p == n - 1 ? reject : inline));
            verdicts.Add(added[^1].Position, added[^1].Outcome);
        }

        Assert.Equal(added.Count, verdicts.Count);
        for (int i = 0; i < added.Count; i++)
        {
            var (action, r1, reason) = outcomes[added[i].Outcome];
            var want = new CallSiteVerdict(obj.SessionCallSites[added[i].Position], program, action, r1, reason);
            Assert.Equal(want, verdicts[i]);
            Assert.Equal(want, verdicts.ElementAt(i));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => verdicts[added.Count]);
    }

    [Fact]
    public void Verdicts_of_an_analysis_name_their_program()
    {
        var result = ObjectAnalyzer.Analyze(TestHelpers.LoadSample("session_multi-el.o"));
        Assert.NotEmpty(result.Verdicts);
        foreach (var report in result.Programs)
        {
            int n = 0;
            foreach (var v in report.Sites)
            {
                Assert.Same(report.Program, v.Program);
                Assert.Equal(report.Sites[n++], v);
            }

            Assert.Equal(report.Sites.Count, n);
        }
    }
}
