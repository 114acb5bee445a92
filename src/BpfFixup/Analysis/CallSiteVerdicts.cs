// SPDX-License-Identifier: MIT
using System.Collections;
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>
/// One program's verdicts (<see cref="ProgramReport.Sites"/>), stored as runs of call sites that follow one another
/// in <see cref="BpfObject.SessionCallSites"/> with one outcome, each outcome (action, R1, reason) kept once in a table
/// the object's programs share: a program reaches its sites in long runs with a few distinct outcomes, so a run of any
/// length costs 12 bytes (issue 8's memory bound: 212k verdicts at 1.6M slots were 14 MB as values, 3 MB as a site and
/// an outcome each; on an object of 2,000 programs sharing subprograms, 300k verdicts were 5 MB that way). Read as the
/// list of <see cref="CallSiteVerdict"/> it stands for, in the order the verdicts were added.
/// </summary>
internal sealed class CallSiteVerdicts(BpfFunction program, IReadOnlyList<SessionCallSite> sites, CallSiteVerdicts.Outcomes outcomes) : IReadOnlyList<CallSiteVerdict>
{
    // Run r covers verdicts [Index, next run's Index) of this list: the sites at Position, Position + 1, ...
    private readonly List<(int Position, int Index, int Outcome)> runs = [];
    private int lastRun; // the run the last read by index was in (RunOf)
    private readonly Outcomes table = outcomes; // the primary constructor's, as fields another instance can compare (SameAs)
    private readonly IReadOnlyList<SessionCallSite> all = sites;

    /// <inheritdoc />
    public int Count { get; private set; }

    /// <inheritdoc />
    /// <remarks>
    /// The run holding <paramref name="index"/>: the last one read or the next (the reports walk the verdicts in order, and
    /// compare runs of two programs in order), else a search. A walk by index searched per verdict: on an object of 2,000
    /// programs sharing subprograms, the report's 330k reads were 5 % of <c>check</c>.
    /// </remarks>
    public CallSiteVerdict this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            int r = RunOf(index);
            var (position, start, outcome) = runs[r];
            return Make(position + (index - start), outcome);
        }
    }

    /// <summary>The call site of verdict <paramref name="index"/> (<c>this[index].Site</c>, without making the verdict).</summary>
    internal SessionCallSite SiteAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var (position, start, _) = runs[RunOf(index)];
        return all[position + (index - start)];
    }

    /// <summary>
    /// True when verdicts [<paramref name="from"/>, +<paramref name="count"/>) equal <paramref name="other"/>'s from
    /// <paramref name="otherFrom"/> in site, action, R1 and reason (in range, both). With one outcome table (an
    /// object's programs share it) that is the same positions with the same outcome ids, as the table holds each
    /// (action, R1, reason) once: no verdict is made.
    /// </summary>
    internal bool SameAs(int from, CallSiteVerdicts other, int otherFrom, int count)
    {
        bool shared = ReferenceEquals(table, other.table) && ReferenceEquals(all, other.all);
        for (int i = 0; i < count; i++)
        {
            if (shared)
            {
                var (p, s, o) = runs[RunOf(from + i)];
                var (q, t, u) = other.runs[other.RunOf(otherFrom + i)];
                if (o != u || p + (from + i - s) != q + (otherFrom + i - t))
                {
                    return false;
                }
            }
            else
            {
                if (!this[from + i].SameOutcomeAs(other[otherFrom + i]))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// True when a verdict not rejected is on a call of <see cref="SessionKfunc.Cookie"/> (<see cref="ProgramReport.UsesCookie"/>):
    /// run by run, with no verdict made (the report asks once per program; walking the verdicts as a sequence made
    /// each one and an iterator per call).
    /// </summary>
    internal bool UsesCookie()
    {
        for (int r = 0; r < runs.Count; r++)
        {
            var (position, start, outcome) = runs[r];
            if (table[outcome].Action == SiteAction.Reject)
            {
                continue;
            }

            int end = r + 1 < runs.Count ? runs[r + 1].Index : Count;
            for (int k = 0; k < end - start; k++)
            {
                if (all[position + k].Kfunc == SessionKfunc.Cookie)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The run holding verdict <paramref name="index"/> (which is in range), remembered for the next read.</summary>
    private int RunOf(int index)
    {
        int r = lastRun;
        if (r < runs.Count && runs[r].Index <= index)
        {
            if (r + 1 == runs.Count || index < runs[r + 1].Index)
            {
                return r;
            }

            if (r + 2 == runs.Count || index < runs[r + 2].Index)
            {
                return lastRun = r + 1;
            }
        }

        int lo = 0, hi = runs.Count - 1; // the last run starting at or before index
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >>> 1;
            if (runs[mid].Index <= index) { lo = mid; } else { hi = mid - 1; }
        }

        return lastRun = lo;
    }

    /// <summary>Appends the verdict on the site at <paramref name="position"/> in <see cref="BpfObject.SessionCallSites"/>, whose outcome is <paramref name="outcome"/> (<see cref="Outcomes.IdOf"/>).</summary>
    public void Add(int position, int outcome)
    {
        if (runs.Count > 0 && runs[^1] is var (p, i, o) && o == outcome && p + (Count - i) == position)
        {
            Count++;
            return;
        }

        runs.Add((position, Count, outcome));
        Count++;
    }

    /// <inheritdoc />
    public IEnumerator<CallSiteVerdict> GetEnumerator()
    {
        for (int r = 0; r < runs.Count; r++)
        {
            var (position, start, outcome) = runs[r];
            int end = r + 1 < runs.Count ? runs[r + 1].Index : Count;
            for (int k = 0; k < end - start; k++)
            {
                yield return Make(position + k, outcome);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private CallSiteVerdict Make(int position, int outcome)
    {
        var (action, r1, reason) = table[outcome];
        return new CallSiteVerdict(all[position], program, action, r1, reason);
    }

    /// <summary>The distinct (action, R1, reason) of an object's verdicts, each once.</summary>
    internal sealed class Outcomes
    {
        private readonly List<(SiteAction Action, RegValue R1, string Reason)> values = [];
        private readonly Dictionary<(SiteAction, RegValue, string), int> ids = [];

        /// <summary>Outcome <paramref name="id"/>.</summary>
        public (SiteAction Action, RegValue R1, string Reason) this[int id] => values[id];

        /// <summary>The position of the outcome in the table, added when new.</summary>
        public int IdOf(SiteAction action, RegValue r1, string reason)
        {
            var key = (action, r1, reason);
            if (!ids.TryGetValue(key, out int id))
            {
                ids[key] = id = values.Count;
                values.Add(key);
            }

            return id;
        }
    }
}
