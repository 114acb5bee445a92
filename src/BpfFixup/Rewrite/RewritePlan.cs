// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>
/// What the fixup does to each function, decided from the analysis. A function reached only by fsession
/// programs has its session calls inlined in place; one reached only by other programs keeps them. A
/// <c>.text</c> subprogram reached by both is specialised, as libbpf and the kernel effectively do by giving
/// each program its own copy: a copy for the fsession callers, with the calls inlined, and the original
/// for the others. Specialisation is closed under calls: a mixed caller of a specialised function is
/// specialised too, so that fsession code only ever reaches copies.
/// </summary>
public sealed class RewritePlan
{
    private readonly HashSet<BpfFunction> withSites;

    private RewritePlan(AnalysisResult analysis, HashSet<BpfFunction> inlineInPlace, List<BpfFunction> specialised, HashSet<BpfFunction> withSites)
    {
        Analysis = analysis;
        InlineInPlace = inlineInPlace;
        Specialised = specialised;
        this.withSites = withSites;
    }

    /// <summary>The analysis the plan comes from.</summary>
    public AnalysisResult Analysis { get; }

    /// <summary>Functions whose session calls are inlined where they are (fsession programs and the functions only they reach).</summary>
    public IReadOnlySet<BpfFunction> InlineInPlace { get; }

    /// <summary>.text functions that get an fsession copy, in original order.</summary>
    public IReadOnlyList<BpfFunction> Specialised { get; }

    /// <summary>True when nothing needs rewriting.</summary>
    public bool IsEmpty => Specialised.Count == 0 && !InlineInPlace.Any(HasSites);

    /// <summary>
    /// True when <paramref name="fn"/> contains a session call site. Every site of a function only fsession
    /// programs reach is inlined, as the kernel's fixup rewrites every call of such a program (fixup_kfunc_call
    /// tests only expected_attach_type), also one the analysis found unreachable (the kernel rejects unreachable code in check_cfg).
    /// </summary>
    public bool HasSites(BpfFunction fn) => withSites.Contains(fn);

    /// <summary>Builds the plan. Call only when the analysis has no errors.</summary>
    public static RewritePlan Create(AnalysisResult analysis)
    {
        var obj = analysis.Object;
        var reachedBy = new Dictionary<BpfFunction, (bool Fsession, bool Other)>();
        foreach (var report in analysis.Programs)
        {
            bool fs = SessionKfuncRules.Inlines(report.Definition);
            foreach (var f in report.Reachable)
            {
                var (a, b) = reachedBy.GetValueOrDefault(f);
                reachedBy[f] = (a || fs, b || !fs);
            }
        }

        var inPlace = new HashSet<BpfFunction>();
        var mixed = new HashSet<BpfFunction>();
        foreach (var (f, (fs, other)) in reachedBy)
        {
            if (fs && !other)
            {
                inPlace.Add(f);
            }
            else if (fs && other && f.IsSubprogram)
            {
                mixed.Add(f);
            }
        }

        var withSites = obj.SessionCallSites.Select(s => s.Function).ToHashSet();
        var reachesSite = ReachingAny(analysis.CallGraph, withSites);
        var specialised = obj.Functions
            .Where(f => mixed.Contains(f) && reachesSite.Contains(f))
            .ToList();
        return new RewritePlan(analysis, inPlace, specialised, withSites);
    }

    /// <summary>
    /// The functions from which some function of <paramref name="targets"/> is reachable (themselves included):
    /// one walk backwards over the call graph's edges, instead of a forward walk from every function.
    /// </summary>
    private static HashSet<BpfFunction> ReachingAny(CallGraph graph, HashSet<BpfFunction> targets)
    {
        var callers = new Dictionary<BpfFunction, List<BpfFunction>>();
        foreach (var f in graph.Object.Functions)
        {
            foreach (var (_, callee, _) in graph.CalleesOf(f))
            {
                if (!callers.TryGetValue(callee, out var list))
                {
                    list = [];
                    callers[callee] = list;
                }

                list.Add(f);
            }
        }

        var seen = new HashSet<BpfFunction>(targets);
        var stack = new Stack<BpfFunction>(targets);
        while (stack.Count > 0)
        {
            foreach (var caller in callers.GetValueOrDefault(stack.Pop()) ?? [])
            {
                if (seen.Add(caller))
                {
                    stack.Push(caller);
                }
            }
        }

        return seen;
    }
}
