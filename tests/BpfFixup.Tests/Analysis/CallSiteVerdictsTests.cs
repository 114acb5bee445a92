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

        // Read by index in any order (the indexer remembers the last run it was in): backwards, and two far apart in turn.
        for (int i = added.Count - 1; i >= 0; i--)
        {
            Assert.Equal(verdicts.ElementAt(i), verdicts[i]);
        }

        for (int i = 0; i < added.Count; i++)
        {
            int far = (i * 7) % added.Count;
            Assert.Equal(verdicts.ElementAt(far), verdicts[far]);
            Assert.Equal(verdicts.ElementAt(i), verdicts[i]);
            Assert.Equal(added[i].Position, obj.SessionCallSites.ToList().IndexOf(verdicts[i].Site));
            Assert.Equal(verdicts[i].Site, verdicts.SiteAt(i));
        }
    }

    [Fact]
    public void Runs_compare_by_site_and_outcome_whatever_their_run_layout()
    {
        var obj = TestHelpers.LoadSample("session_asm-el.o");
        int n = obj.SessionCallSites.Count;
        Assert.True(n >= 8);
        var outcomes = new CallSiteVerdicts.Outcomes();
        int inline = outcomes.IdOf(SiteAction.Inline, RegValue.Ctx, "inlined"), reject = outcomes.IdOf(SiteAction.Reject, RegValue.Scalar, "no");
        CallSiteVerdicts Of(CallSiteVerdicts.Outcomes table, params (int Position, int Outcome)[] added)
        {
            var v = new CallSiteVerdicts(obj.Programs[0], obj.SessionCallSites, table);
            foreach (var (p, o) in added)
            {
                v.Add(p, o);
            }

            return v;
        }

        // a: sites 2..5 inline after a reject at 0; b: the same four between other verdicts, at other indexes.
        var a = Of(outcomes, (0, reject), (2, inline), (3, inline), (4, inline), (5, inline));
        var b = Of(outcomes, (1, inline), (7, reject), (2, inline), (3, inline), (4, inline), (5, inline), (6, reject));
        Assert.True(a.SameAs(1, b, 2, 4));
        Assert.True(b.SameAs(2, a, 1, 4));
        Assert.False(a.SameAs(0, b, 1, 1)); // the same outcome at another site (0 against 7)
        Assert.False(a.SameAs(1, b, 0, 1)); // the same outcome at another site (2 against 1)
        Assert.False(a.SameAs(1, b, 3, 3)); // shifted by one site
        Assert.False(a.SameAs(4, b, 6, 1)); // site 5 inline against site 6 rejected
        var c = Of(outcomes, (2, inline), (3, reject), (4, inline), (5, inline));
        Assert.False(a.SameAs(1, c, 0, 4)); // one outcome differs inside the run
        Assert.True(a.SameAs(3, c, 2, 2));

        // Another table with the same values compares by value.
        var other = new CallSiteVerdicts.Outcomes();
        other.IdOf(SiteAction.Keep, RegValue.Scalar, "first, so the ids differ");
        var d = Of(other, (2, other.IdOf(SiteAction.Inline, RegValue.Ctx, "inlined")), (3, other.IdOf(SiteAction.Inline, RegValue.Ctx, "inlined")));
        Assert.True(a.SameAs(1, d, 0, 2));
        Assert.False(a.SameAs(0, d, 0, 1));
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
