// SPDX-License-Identifier: MIT
using System.Runtime.CompilerServices;
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>
/// <see cref="SessionKfuncRules.Judge"/> for every call site of one object, each distinct judgement made once: it
/// depends only on the program's definition, the kfunc and R1, and an object's many thousands of sites have a few
/// distinct ones of each. A judgement carries its message (one string of each text, not one per site: issue 8's
/// memory bound) and its position among the <see cref="Outcomes"/> the object's verdicts share, so a site costs a
/// compare with the last judgement of its kfunc or one probe keyed by value types, not the hashing of its message twice.
/// </summary>
internal sealed class SiteJudgements
{
    private readonly Dictionary<(SectionDef? Def, SessionKfunc Kfunc, RegValue R1), Judgement> made = new(KeyComparer.Instance);
    private readonly Dictionary<string, string> messages = new(StringComparer.Ordinal);
    // The last judgement of each kfunc (a program's sites alternate between the two kfuncs, each mostly with one R1).
    private readonly (SectionDef? Def, SessionKfunc Kfunc, RegValue R1)[] lastKey = new (SectionDef?, SessionKfunc, RegValue)[3];
    private readonly Judgement?[] last = new Judgement?[3];

    /// <summary>The distinct (action, R1, reason) of the object's verdicts.</summary>
    public CallSiteVerdicts.Outcomes Outcomes { get; } = new();

    /// <summary>The judgement of a call of <paramref name="kfunc"/> with <paramref name="r1"/> in a program of <paramref name="def"/>.</summary>
    public Judgement Judge(SectionDef? def, SessionKfunc kfunc, RegValue r1)
    {
        int slot = (int)kfunc % last.Length;
        ref var lk = ref lastKey[slot];
        if (last[slot] is { } l && ReferenceEquals(lk.Def, def) && lk.Kfunc == kfunc && lk.R1.Equals(r1))
        {
            return l; // KeyComparer's equality, field by field: no key copied
        }

        var key = (def, kfunc, r1);
        if (!made.TryGetValue(key, out var j))
        {
            var (action, id, message) = SessionKfuncRules.Judge(def, kfunc, r1);
            if (!messages.TryAdd(message, message))
            {
                message = messages[message];
            }

            j = new Judgement(action, id, message, Outcomes.IdOf(action, r1, message));
            made[key] = j;
        }

        lastKey[slot] = key;
        last[slot] = j;
        return j;
    }

    /// <summary>Definitions compared as the objects they are (the loader's), R1 by value.</summary>
    private sealed class KeyComparer : IEqualityComparer<(SectionDef? Def, SessionKfunc Kfunc, RegValue R1)>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals((SectionDef? Def, SessionKfunc Kfunc, RegValue R1) x, (SectionDef? Def, SessionKfunc Kfunc, RegValue R1) y) =>
            ReferenceEquals(x.Def, y.Def) && x.Kfunc == y.Kfunc && x.R1.Equals(y.R1);

        public int GetHashCode((SectionDef? Def, SessionKfunc Kfunc, RegValue R1) k) =>
            HashCode.Combine(k.Def is null ? 0 : RuntimeHelpers.GetHashCode(k.Def), k.Kfunc, k.R1);
    }
}

/// <summary>One distinct judgement: what <see cref="SessionKfuncRules.Judge"/> said, and its outcome's position in <see cref="SiteJudgements.Outcomes"/>.</summary>
internal readonly record struct Judgement(SiteAction Action, string? Id, string Message, int Outcome);
