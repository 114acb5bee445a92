// SPDX-License-Identifier: MIT
using System.Collections;
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>
/// One program's verdicts (<see cref="ProgramReport.Sites"/>), stored as the call site and the position of its
/// (action, R1, reason) in a table the object's programs share: a report names a few distinct outcomes at many
/// thousands of sites, so each verdict costs 16 bytes instead of a 64-byte value (issue 8's memory bound: 212k
/// verdicts at 1.6M slots were 14 MB). Read as the list of <see cref="CallSiteVerdict"/> it stands for.
/// </summary>
internal sealed class CallSiteVerdicts(BpfFunction program, CallSiteVerdicts.Outcomes outcomes, int capacity) : IReadOnlyList<CallSiteVerdict>
{
    private readonly List<(SessionCallSite Site, int Outcome)> entries = new(capacity);

    /// <inheritdoc />
    public int Count => entries.Count;

    /// <inheritdoc />
    public CallSiteVerdict this[int index]
    {
        get
        {
            var (site, at) = entries[index];
            var (action, r1, reason) = outcomes[at];
            return new CallSiteVerdict(site, program, action, r1, reason);
        }
    }

    /// <summary>Appends the verdict on <paramref name="site"/>.</summary>
    public void Add(SessionCallSite site, SiteAction action, RegValue r1, string reason) => Add(site, outcomes.IdOf(action, r1, reason));

    /// <summary>Appends the verdict on <paramref name="site"/> whose outcome is <paramref name="outcome"/> (<see cref="Outcomes.IdOf"/>).</summary>
    public void Add(SessionCallSite site, int outcome) => entries.Add((site, outcome));

    /// <inheritdoc />
    public IEnumerator<CallSiteVerdict> GetEnumerator()
    {
        for (int i = 0; i < entries.Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

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
