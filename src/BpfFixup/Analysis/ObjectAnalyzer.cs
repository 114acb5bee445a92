// SPDX-License-Identifier: MIT
using BpfFixup.Btf;
using BpfFixup.Diagnostics;
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>
/// Runs the verifier-like pass over every program of an object: structural checks on every function a
/// program reaches, the type analysis per program, and the session-kfunc rules at every call site.
/// </summary>
public static class ObjectAnalyzer
{
    /// <summary>Analyses <paramref name="obj"/>.</summary>
    public static AnalysisResult Analyze(BpfObject obj) => Analyze(obj, null);

    /// <summary>
    /// Analyses <paramref name="obj"/>; with <paramref name="kernel"/>, also what libbpf and the kernel check against
    /// the kernel's BTF (<see cref="KernelBtfChecks"/>).
    /// </summary>
    public static AnalysisResult Analyze(BpfObject obj, KernelBtf? kernel) => Analyze(obj, kernel, replayReports: true);

    /// <summary>
    /// <see cref="Analyze(BpfObject, KernelBtf?)"/>; <paramref name="replayReports"/> false runs the reporting pass over
    /// every block (<see cref="StatePool.ReplayReports"/>), <paramref name="shareContexts"/> false analyses every
    /// program's contexts afresh (<see cref="SharedContexts"/>): the tests compare both with the defaults. The analysis
    /// counts against <paramref name="budget"/> (by default <see cref="AnalysisBudget.ForObject"/>), and
    /// <paramref name="ctxLoads"/>, when given, receives each program's loads through ctx.
    /// </summary>
    internal static AnalysisResult Analyze(BpfObject obj, KernelBtf? kernel, bool replayReports, bool shareContexts = true, AnalysisBudget? budget = null,
        Dictionary<BpfFunction, IReadOnlyList<CtxLoad>>? ctxLoads = null)
    {
        var diagnostics = new List<Diagnostic>(obj.Diagnostics);
        var graph = new CallGraph(obj);
        // A function's CFG is kept while a program still to be analysed reaches it, then dropped (issue 8's memory
        // bound: all of them at once were 24 MB per million instructions). Built again only if asked for after that
        // (a callback outside the call graph), when its findings are already recorded.
        var reaches = ReachBudget.Reaches(obj, graph, out var over);
        if (reaches is null)
        {
            diagnostics.Add(over!);
            return new AnalysisResult { Object = obj, CallGraph = graph, Programs = [], Diagnostics = Order(diagnostics) };
        }

        // Sized once: grown function by function, its resizes were large-object allocations that set off full,
        // compacting collections (3 % of check on an object of 4,000 functions).
        // The tables by function are arrays by BpfFunction.Index (dictionaries hashing the function were several per
        // cent of check on an object of 2,000 programs).
        var lastUse = new int[obj.Functions.Count]; // the last program that reaches each function, -1 for none
        Array.Fill(lastUse, -1);
        for (int p = 0; p < reaches.Count; p++)
        {
            var reach = reaches[p];
            for (int k = 0; k < reach.Count; k++) // the reaches by index, here and below: a foreach boxes an enumerator per program
            {
                lastUse[reach[k].Index] = p;
            }
        }

        var cfgs = new ControlFlowGraph?[obj.Functions.Count];
        var built = new bool[obj.Functions.Count];
        var used = new List<BpfFunction>();
        ControlFlowGraph CfgOf(BpfFunction f)
        {
            if (cfgs[f.Index] is not { } cfg)
            {
                cfg = ControlFlowGraph.Build(obj, f, built[f.Index] ? [] : diagnostics);
                built[f.Index] = true;
                cfgs[f.Index] = cfg;
                used.Add(f);
            }

            return cfg;
        }

        var globals = new sbyte[obj.Functions.Count]; // 0 not asked yet, 1 global (typed arguments), -1 not
        bool IsGlobal(BpfFunction f)
        {
            ref sbyte g = ref globals[f.Index];
            if (g == 0)
            {
                g = GlobalSubprogram.Arguments(obj, f) is not null ? (sbyte)1 : (sbyte)-1;
            }

            return g > 0;
        }

        var heights = new CallDepth.Heights(graph, IsGlobal);
        var reports = new List<ProgramReport>();
        var judgements = new SiteJudgements(); // the verdicts' few distinct judgements, made once for the object
        ctxLoads ??= new Dictionary<BpfFunction, IReadOnlyList<CtxLoad>>(obj.Programs.Count);
        var states = new StatePool { ReplayReports = replayReports }; // one program's block states are the next one's
        var observations = new SiteObservations(obj); // and so is the table of R1 per call site
        var siteR1 = new List<(int Position, RegValue R1)>(); // and the list it is read into
        int current = 0;
        var shared = shareContexts ? new SharedContexts(f => lastUse[f.Index] > current) : null; // and the contexts analysed
        budget ??= AnalysisBudget.ForObject(obj);
        var repeats = new RepeatedDiagnostics(); // a shared subprogram's findings once, not once per program that reaches it
        var analyzer = new TypeAnalyzer(obj, graph, CfgOf, states, observations, shared, budget); // and so are its tables, emptied per program
        for (int index = 0; index < obj.Programs.Count; index++)
        {
            current = index;
            var program = obj.Programs[index];
            var def = program.Definition;
            if (def is null)
            {
                diagnostics.Add(new Diagnostic
                {
                    Id = DiagnosticIds.CallSite,
                    Severity = Severity.Warning,
                    Message = $"libbpf knows no program type for section '{program.Section.Name}'",
                    File = obj.FileName,
                    Section = program.Section.Name,
                    Function = program.Name,
                });
            }

            var reach = reaches[index];
            for (int k = 0; k < reach.Count; k++)
            {
                CfgOf(reach[k]);
            }

            // Once the budget is exhausted the object is refused: the program that exhausted it gets one error, as
            // do_check, and nothing its incomplete analysis found; the programs after it are not analysed.
            bool exhaustedBefore = budget.Exhausted;
            var (_, typeDiagnostics, loads) = exhaustedBefore ? default : analyzer.Run(program, siteR1);
            if (budget.Exhausted)
            {
                if (!exhaustedBefore)
                {
                    diagnostics.Add(budget.ErrorAt(obj, program, program.Name));
                }

                reports.Add(new ProgramReport { Program = program, Definition = def, Reachable = reach, Sites = [] });
                continue;
            }

            ctxLoads[program] = loads;
            // One error for a chain that is too deep: the call graph's (which sees chains the analysis reached
            // through a shared context, and global callees), else the analysis's own (callbacks included). A
            // recursion is reported as such; the frames it would pile up are not a second error.
            bool recursion = false;
            for (int k = 0; k < typeDiagnostics.Count && !recursion; k++)
            {
                recursion = typeDiagnostics[k].Id == DiagnosticIds.Recursion;
            }

            var tooDeep = recursion ? null : CallDepth.Check(obj, heights, program, reach);
            for (int k = 0; k < typeDiagnostics.Count; k++)
            {
                var d = typeDiagnostics[k];
                if (tooDeep is null || d.Id != DiagnosticIds.CallStackTooDeep)
                {
                    repeats.Add(diagnostics, d, program.Name);
                }
            }

            if (tooDeep is not null)
            {
                diagnostics.Add(tooDeep);
            }

            var sites = new CallSiteVerdicts(program, obj.SessionCallSites, judgements.Outcomes);
            foreach (var (position, r1) in siteR1) // in section order, then instruction
            {
                var site = obj.SessionCallSites[position];
                var j = judgements.Judge(def, site.Kfunc, r1);
                sites.Add(position, j.Outcome);
                if (j.Action == SiteAction.Reject)
                {
                    repeats.Add(diagnostics, obj.DiagnosticAt(site.Function, site.Insn, j.Id!, Severity.Error, j.Message, program.Name), program.Name);
                }
            }

            repeats.EndProgram(diagnostics, obj.FileName, program.Name);
            reports.Add(new ProgramReport { Program = program, Definition = def, Reachable = reach, Sites = sites });
            for (int k = 0; k < reach.Count + used.Count; k++)
            {
                var f = k < reach.Count ? reach[k] : used[k - reach.Count];
                if (lastUse[f.Index] <= index)
                {
                    if (cfgs[f.Index] is { } done)
                    {
                        cfgs[f.Index] = null;
                        done.Release(); // no context of a program still to come holds it
                    }

                    shared?.Forget(f);
                }
            }

            used.Clear();
        }

        AddPrototypeNotes(obj, diagnostics);
        if (kernel is not null)
        {
            diagnostics.AddRange(KernelBtfChecks.Check(obj, reports, kernel, ctxLoads));
        }

        return new AnalysisResult
        {
            Object = obj,
            CallGraph = graph,
            Programs = reports,
            Diagnostics = Order(diagnostics),
        };
    }

    /// <summary>Objects built against the pre-7.0 headers declare the kfuncs with no argument (kernel/trace/bpf_trace.c gained <c>void *ctx</c> with the fsession series, commit 8fe4dc4f).</summary>
    private static void AddPrototypeNotes(BpfObject obj, List<Diagnostic> diagnostics)
    {
        if (obj.Btf is null)
        {
            return;
        }

        foreach (var kfunc in new[] { SessionKfunc.IsReturn, SessionKfunc.Cookie })
        {
            string name = SessionKfuncs.NameOf(kfunc);
            if (obj.Btf.FindFunc(name) is { } f && obj.Btf.ParameterCount(f) == 0 && obj.SessionCallSites.Any(s => s.Kfunc == kfunc))
            {
                diagnostics.Add(new Diagnostic
                {
                    Id = DiagnosticIds.CtxNotInitialised,
                    Severity = Severity.Note,
                    Message = $"{name} is declared with no arguments (the pre-7.0 prototype); Linux 7.0 takes 'void *ctx', so R1 at each call is whatever the compiler left there",
                    File = obj.FileName,
                });
            }
        }
    }

    private static List<Diagnostic> Order(List<Diagnostic> diagnostics)
    {
        // Stable sort by section (none first), slot, id and program, then the first of each run of duplicates (same
        // five fields) kept. Duplicates share the sort key, so they meet in one run, in their original order: the
        // same list as deduplicating first, with no set of keys (a key per diagnostic was 30 MB for 126k errors). The
        // strings are compared as their ranks in one ordinal order of the few distinct ones, so the sort compares
        // integers, not strings through a delegate (5 % of check at 1.6M slots, 36k notes).
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var d in diagnostics)
        {
            ranks.TryAdd(d.Id, 0);
            if (d.Section is not null) { ranks.TryAdd(d.Section, 0); }
            if (d.Program is not null) { ranks.TryAdd(d.Program, 0); }
        }

        var distinct = ranks.Keys.ToArray();
        Array.Sort(distinct, StringComparer.Ordinal);
        for (int r = 0; r < distinct.Length; r++)
        {
            ranks[distinct[r]] = r;
        }

        var keys = new SortKey[diagnostics.Count];
        for (int i = 0; i < keys.Length; i++)
        {
            var d = diagnostics[i];
            keys[i] = new SortKey(d.Section is null ? -1 : ranks[d.Section], d.Index ?? -1, ranks[d.Id], d.Program is null ? -1 : ranks[d.Program], i);
        }

        Array.Sort(keys);
        var order = new int[keys.Length];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = keys[i].Position;
        }

        var ordered = new List<Diagnostic>(order.Length);
        int runStart = 0;
        HashSet<(string, int?)>? runSeen = null; // for a long run only (a hostile file's many findings at one place)
        foreach (int i in order)
        {
            var d = diagnostics[i];
            if (ordered.Count > runStart && !SameSortKey(ordered[runStart], d))
            {
                runStart = ordered.Count;
                runSeen = null;
            }

            bool duplicate;
            if (runSeen is not null)
            {
                duplicate = !runSeen.Add((d.Message, d.Index));
            }
            else
            {
                duplicate = false;
                for (int k = runStart; k < ordered.Count && !duplicate; k++)
                {
                    duplicate = ordered[k].Message == d.Message && ordered[k].Index == d.Index;
                }

                if (!duplicate && ordered.Count - runStart >= 16)
                {
                    runSeen = [];
                    for (int k = runStart; k < ordered.Count; k++)
                    {
                        runSeen.Add((ordered[k].Message, ordered[k].Index));
                    }

                    runSeen.Add((d.Message, d.Index));
                }
            }

            if (!duplicate)
            {
                ordered.Add(d);
            }
        }

        return ordered;
    }

    /// <summary>A diagnostic's place in <see cref="Order"/>: section (-1 for none), slot, id and program as ranks, then its position.</summary>
    private readonly record struct SortKey(int Section, int Index, int Id, int Program, int Position) : IComparable<SortKey>
    {
        public int CompareTo(SortKey other)
        {
            int c = Section.CompareTo(other.Section);
            if (c == 0) { c = Index.CompareTo(other.Index); }
            if (c == 0) { c = Id.CompareTo(other.Id); }
            if (c == 0) { c = Program.CompareTo(other.Program); }
            return c != 0 ? c : Position.CompareTo(other.Position);
        }
    }

    /// <summary>Equal in every field the sort compares: a run of these may hold duplicates.</summary>
    private static bool SameSortKey(Diagnostic a, Diagnostic b) =>
        a.Section == b.Section && (a.Index ?? -1) == (b.Index ?? -1) && a.Id == b.Id && a.Program == b.Program;
}
