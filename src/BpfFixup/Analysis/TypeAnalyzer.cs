// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Isa;
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>
/// Abstract interpretation of one program and the subprograms it calls, to a fixpoint, in the spirit of the
/// verifier's <c>do_check</c>: register types per instruction, 8-byte stack spills and fills, helper and
/// kfunc calls (r1-r5 clobbered, r0 by return type), bpf-to-bpf calls (r1-r5 passed, r6-r9 preserved, a
/// frame per call, analysed once per distinct argument state), joins where paths meet. Unlike the kernel
/// it does not track scalar values, so it joins both sides of every branch (except null checks).
/// </summary>
public sealed partial class TypeAnalyzer
{
    private const int MaxContextsPerFunction = 16;

    // r1-r5 at a program's entry and at a callback's: one array each, never written (AnalyzeCall copies the arguments
    // of a context it makes), not one per program or callback.
    private static readonly RegValue[] ProgramEntryArgs = [RegValue.Ctx, RegValue.NotInit, RegValue.NotInit, RegValue.NotInit, RegValue.NotInit];
    private static readonly RegValue[] CallbackArgs = [RegValue.Scalar, RegValue.Scalar, RegValue.Scalar, RegValue.Scalar, RegValue.Scalar];

    private readonly BpfObject obj;
    private BpfFunction program = null!; // the program being analysed (one analyzer serves an object's programs in turn)
    private readonly CallGraph? graph;
    private readonly Func<BpfFunction, ControlFlowGraph> cfgOf;
    private IReadOnlyList<BpfFunction>? imageOrder;
    private readonly Dictionary<ContextKey, Context> contexts = [];
    private readonly int[] contextCounts; // by BpfFunction.Index: this program's contexts of each function (zeroed by Start)
    private readonly Dictionary<BpfFunction, Context> widenedContexts = [];
    private readonly List<Context> allContexts = [];
    private readonly RegValue[]?[] globalArguments; // by BpfFunction.Index, once asked (globalArgumentsKnown)
    private readonly bool[] globalArgumentsKnown;
    private readonly SiteObservations sites;
    private readonly List<Diagnostic> diagnostics = [];
    private readonly HashSet<CtxLoad> ctxLoads = [];
    private readonly HashSet<(string, int, string, string)> reported = [];
    private readonly StatePool pool;
    private readonly SharedContexts? shared; // other programs' finished contexts, null when not shared
    private readonly AnalysisBudget budget; // instructions the whole object's analysis may still process
    private readonly HashSet<ContextKey> planned = []; // CanAdopt's contexts to be created
    private readonly int[] plannedCounts; // by BpfFunction.Index, of those (zeroed by CanAdopt)
    private readonly List<int> plannedFunctions = []; // the indices plannedCounts has counted
    private readonly List<ReportLogEntry> captured = []; // the reporting pass's effects of a context that may be shared
    private List<ReportLogEntry>? capture; // captured while that pass runs, else null
    private Context? reporting; // the context the reporting pass is over, null in the fixpoint
    private Context? lastCallee; // set by AnalyzeCall when lastCallClean: the context it found, adopted or analysed
    private bool lastCallNew; // and true when it was not there before the call
    private readonly AbstractState edgeA = AbstractState.Bottom(), edgeB = AbstractState.Bottom(); // a branch edge's refined states
    private readonly RegValue[] callArgs = new RegValue[5]; // r1-r5 at a bpf-to-bpf call, filled by CallLocal
    private bool lastCallClean; // set by AnalyzeCall: the reporting pass would get the same answer from it with no side effect
    private int frames; // contexts being analysed, one inside the other: the verifier's frames

    /// <summary>
    /// An analyzer for the programs of <paramref name="obj"/>, one at a time (<see cref="Run"/>): its tables are emptied,
    /// not made again, for each program (an object of 2,000 programs made 2,000 sets of them).
    /// </summary>
    internal TypeAnalyzer(BpfObject obj, CallGraph? graph, Func<BpfFunction, ControlFlowGraph> cfgOf, StatePool pool, SiteObservations sites,
        SharedContexts? shared, AnalysisBudget budget)
    {
        this.obj = obj;
        this.shared = shared;
        this.budget = budget;
        this.sites = sites;
        this.graph = graph;
        this.cfgOf = cfgOf;
        this.pool = pool;
        contextCounts = new int[obj.Functions.Count];
        plannedCounts = new int[obj.Functions.Count];
        globalArguments = new RegValue[]?[obj.Functions.Count];
        globalArgumentsKnown = new bool[obj.Functions.Count];
    }

    /// <summary>Analyses <paramref name="program"/> with r1 = ctx (<paramref name="graph"/>: the object's call graph, built when needed if null).</summary>
    public static (IReadOnlyDictionary<(CodeSection Section, int Insn), RegValue> SiteR1, IReadOnlyList<Diagnostic> Diagnostics) Run(
        BpfObject obj, BpfFunction program, Func<BpfFunction, ControlFlowGraph> cfgOf, CallGraph? graph = null)
    {
        var (siteR1, diagnostics, _) = RunWithCtxLoads(obj, program, cfgOf, graph);
        return (siteR1, diagnostics);
    }

    /// <summary>
    /// <see cref="Run"/>, and the loads through ctx at a known offset on the paths the kernel walks (in every
    /// function the program reaches), ordered by function and instruction.
    /// </summary>
    public static (IReadOnlyDictionary<(CodeSection Section, int Insn), RegValue> SiteR1, IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<CtxLoad> CtxLoads) RunWithCtxLoads(
        BpfObject obj, BpfFunction program, Func<BpfFunction, ControlFlowGraph> cfgOf, CallGraph? graph = null)
    {
        var budget = AnalysisBudget.ForObject(obj);
        var (sites, diagnostics, loads) = new TypeAnalyzer(obj, graph, cfgOf, new StatePool(), new SiteObservations(obj), null, budget).Run(program, []);
        if (budget.Exhausted)
        {
            // As ObjectAnalyzer: the kernel's complexity limit, and none of the incomplete results.
            return (new Dictionary<(CodeSection, int), RegValue>(), [budget.ErrorAt(obj, program, null)], []);
        }

        return (sites.ToDictionary(p => (obj.SessionCallSites[p.Position].Section, obj.SessionCallSites[p.Position].Insn), p => p.R1), diagnostics, loads);
    }

    /// <summary>
    /// <see cref="RunWithCtxLoads(BpfObject, BpfFunction, Func{BpfFunction, ControlFlowGraph}, CallGraph?)"/> of
    /// <paramref name="program"/>, its block states lent by the analyzer's pool and given back at the end, R1 at each
    /// call site gathered in its <see cref="SiteObservations"/> (left empty) and returned in
    /// <see cref="BpfObject.SessionCallSites"/> order in <paramref name="siteR1"/> (cleared first). Contexts found in
    /// its <see cref="SharedContexts"/> are taken from there, and the ones this program finishes that other programs may
    /// take are added to it. Every instruction processed counts against its budget; once that is exhausted the analysis
    /// stops and its results are incomplete. The diagnostics returned are the analyzer's own list: read them before
    /// the next run.
    /// </summary>
    internal (List<(int Position, RegValue R1)> SiteR1, IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<CtxLoad> CtxLoads) Run(
        BpfFunction program, List<(int Position, RegValue R1)> siteR1)
    {
        Start(program);
        var a = this;
        a.AnalyzeCall(program, ProgramEntryArgs, program, -1);
        int analysed = a.allContexts.Count; // the reporting pass may analyse more (a call it sees differently): those are not reported
        for (int k = 0; k < analysed && !budget.Exhausted; k++)
        {
            var c = a.allContexts[k];
            if (c.Record is { } adopted && c.Adopted)
            {
                // Nothing is captured here (capture is null outside a reporting pass): a site's observation is all ObserveSite would do.
                var effects = adopted.Effects;
                var positions = adopted.SitePositions ??= SitePositionsOf(adopted);
                for (int e = 0; e < effects.Length; e++)
                {
                    if (positions[e] >= 0)
                    {
                        sites.ObserveAt(positions[e], effects[e].Value);
                    }
                    else
                    {
                        a.Apply(c, effects[e]);
                    }
                }

                continue;
            }

            a.capture = a.MayShare(c) ? a.captured : null;
            a.reporting = c;
            a.Report(c);
            a.reporting = null;
            if (c.Return != c.FixpointReturn)
            {
                c.Impure = true; // callers saw another return value than the reporting pass ended with
            }

            if (a.capture is not null && !c.Impure)
            {
                c.Effects = [.. a.captured];
            }

            a.captured.Clear();
            a.capture = null;
        }

        if (shared is not null && !budget.Exhausted)
        {
            for (int k = 0; k < analysed; k++)
            {
                a.Share(a.allContexts[k]);
            }
        }

        foreach (var c in a.allContexts)
        {
            if (!c.Adopted)
            {
                pool.ReturnStates(c.BlockIn, c.Cfg.BlockCount);
            }
        }

        return (sites.Drain(siteR1), a.diagnostics, a.ctxLoads.Count == 0 ? [] : [.. a.ctxLoads.OrderBy(l => l.Function == program ? 0 : 1).ThenBy(l => l.Function.Section.Name, StringComparer.Ordinal).ThenBy(l => l.Insn).ThenBy(l => l.Offset)]);
    }

    /// <summary>The positions of <paramref name="record"/>'s call-site observations (<see cref="ContextRecord.SitePositions"/>).</summary>
    private int[] SitePositionsOf(ContextRecord record)
    {
        var range = sites.RangeOf(record.Function.Section);
        var positions = new int[record.Effects.Length];
        for (int e = 0; e < positions.Length; e++)
        {
            positions[e] = record.Effects[e].Kind == ReportLogKind.Site ? sites.PositionOf(range, record.Effects[e].Insn) : -1;
        }

        return positions;
    }

    /// <summary>Empties the tables of the last program's analysis for <paramref name="entry"/>'s.</summary>
    private void Start(BpfFunction entry)
    {
        program = entry;
        imageOrder = null;
        contexts.Clear();
        foreach (var c in allContexts)
        {
            contextCounts[c.Function.Index] = 0; // the last program's: only the functions it had contexts of
        }

        widenedContexts.Clear();
        allContexts.Clear();
        diagnostics.Clear();
        ctxLoads.Clear();
        reported.Clear();
        captured.Clear();
        capture = null;
        reporting = null;
        lastCallee = null;
        lastCallNew = lastCallClean = false;
        frames = 0;
    }

    internal sealed class Context
    {
        private HashSet<Context>? calleeSet; // once there are many callees, to keep Callees distinct cheaply

        /// <summary>A context to analyse: <paramref name="function"/> entered with <paramref name="args"/>.</summary>
        public Context(BpfFunction function, RegValue[] args, ControlFlowGraph cfg, StatePool pool)
        {
            Function = function;
            Args = args;
            Cfg = cfg;
            BlockIn = pool.RentStates(cfg.BlockCount);
            Log = new(cfg.BlockCount, pool);
        }

        /// <summary>A context another program analysed, taken as it is: done, never run (no graph, states or log).</summary>
        public Context(ContextRecord record)
        {
            Function = record.Function;
            Args = [];
            Cfg = null!;
            BlockIn = [];
            Log = null!;
            Record = record;
            Adopted = true;
            Done = true;
            Return = FixpointReturn = record.Return;
            Height = record.Height;
        }

        public BpfFunction Function { get; }

        public RegValue[] Args { get; }

        public ControlFlowGraph Cfg { get; }

        /// <summary>The entry state of each block of <see cref="Cfg"/> (lent: the array may be longer than the blocks).</summary>
        public AbstractState[] BlockIn { get; }

        public RegValue Return { get; set; }

        /// <summary>The return value when the fixpoint ended: what every caller was given.</summary>
        public RegValue FixpointReturn { get; set; }

        public bool InProgress { get; set; }

        public bool Done { get; set; }

        /// <summary>True when taken from <see cref="SharedContexts"/> (<see cref="Record"/> is what it did).</summary>
        public bool Adopted { get; }

        /// <summary>Its record: taken from another program's analysis, or made of this one's for the next programs.</summary>
        public ContextRecord? Record { get; set; }

        /// <summary>True when its results may depend on more than its function and arguments: it is not shared.</summary>
        public bool Impure { get; set; }

        /// <summary>The frames it needs, itself and the tallest chain of the contexts it called.</summary>
        public int Height { get; set; } = 1;

        /// <summary>The contexts it called, each once, in the order of its first call.</summary>
        public List<Context>? Callees { get; private set; }

        /// <summary>Its reporting pass's effects, when it may be shared.</summary>
        public ReportLogEntry[]? Effects { get; set; }

        /// <summary>The positions of the function's section's call sites in <see cref="SiteObservations"/>, once asked for.</summary>
        public (int Start, int End)? SiteRange { get; set; }

        /// <summary>What the fixpoint's transfers would have the reporting pass do, and where each block's last transfer wrote it.</summary>
        public ReportLog Log { get; }

        /// <summary>Notes a call of <paramref name="callee"/> (done) from this context's fixpoint.</summary>
        public void Called(Context callee)
        {
            Height = Math.Max(Height, callee.Height + 1);
            Callees ??= [];
            if (calleeSet is not null ? !calleeSet.Add(callee) : Callees.Contains(callee))
            {
                return;
            }

            Callees.Add(callee);
            if (calleeSet is null && Callees.Count > 8)
            {
                calleeSet = [.. Callees];
            }
        }
    }

    /// <summary>A call context's identity: the five argument values (a value type, so lookups do not allocate).</summary>
    internal readonly record struct ArgsKey(RegValue R1, RegValue R2, RegValue R3, RegValue R4, RegValue R5)
    {
        public static ArgsKey Of(RegValue[] a) => new(a[0], a[1], a[2], a[3], a[4]);

        /// <summary>The five values' hashes, mixed (the compiler's would be <see cref="HashCode"/> rounds over each).</summary>
        public override int GetHashCode() =>
            unchecked(((((((R1.GetHashCode() * 31) + R2.GetHashCode()) * 31) + R3.GetHashCode()) * 31) + R4.GetHashCode()) * 31) + R5.GetHashCode();

        /// <summary>Equal in every value (<see cref="RegValue.Equals(RegValue)"/>).</summary>
        public bool Equals(ArgsKey other) => R1.Equals(other.R1) && R2.Equals(other.R2) && R3.Equals(other.R3) && R4.Equals(other.R4) && R5.Equals(other.R5);
    }

    /// <summary>
    /// <see cref="AnalyzeCall(BpfFunction, RegValue[], BpfFunction, int, bool)"/> from a block of <paramref name="from"/>: a
    /// call that the reporting pass would not see the same way (a frame too many, recursion, a widened context) means
    /// that block's log cannot stand in for it, and that <paramref name="from"/>'s results depend on more than its
    /// arguments (it is not shared). In the fixpoint, the callee is noted as one of <paramref name="from"/>'s.
    /// </summary>
    private RegValue AnalyzeCall(Context from, BpfFunction fn, RegValue[] args, int callInsn, bool isCallback = false)
    {
        var ret = AnalyzeCall(fn, args, from.Function, callInsn, isCallback);
        if (!lastCallClean)
        {
            from.Log.TransferIsClean = false;
            from.Impure = true;
        }
        else if (reporting is not null)
        {
            if (lastCallNew)
            {
                from.Impure = true; // the reporting pass analysed a context the fixpoint did not reach
            }
        }
        else
        {
            from.Called(lastCallee!);
            if (from.Height > CallDepth.MaxCallFrames)
            {
                from.Impure = true; // taller than any frame could take: never adopted, and no longer a chain to follow
            }
        }

        return ret;
    }

    private RegValue AnalyzeCall(BpfFunction fn, RegValue[] args, BpfFunction caller, int callInsn, bool isCallback = false)
    {
        lastCallClean = false;
        lastCallNew = false;
        if (budget.Exhausted)
        {
            return RegValue.Scalar;
        }

        if (frames >= CallDepth.MaxCallFrames)
        {
            // The verifier refuses the 9th frame (kernel/bpf/verifier.c setup_func_entry). Not descending keeps
            // this recursion as shallow as the kernel's frames, whatever the chain's length.
            AddOnce(caller, callInsn, DiagnosticIds.CallStackTooDeep, Severity.Error, $"the call stack of {CallDepth.MaxCallFrames + 1} frames is too deep");
            return RegValue.Scalar;
        }

        var key = new ContextKey(fn, ArgsKey.Of(args));
        bool widened = false;
        if (!contexts.TryGetValue(key, out var ctx))
        {
            lastCallNew = true;
            int n = contextCounts[fn.Index];
            if (n < MaxContextsPerFunction)
            {
                if (shared?.Find(key) is { } record && frames + record.Height <= CallDepth.MaxCallFrames && CanAdopt(record))
                {
                    ctx = Adopt(record);
                }
                else
                {
                    ctx = new Context(fn, [.. args], cfgOf(fn), pool); // a copy: args may be the analyzer's scratch array
                    contexts[key] = ctx;
                    allContexts.Add(ctx);
                    contextCounts[fn.Index] = n + 1;
                }
            }
            else
            {
                // Too many distinct argument states: one context whose arguments cover all later calls, widened
                // (re-analysed with the join) whenever a call brings a state it does not cover yet.
                ctx = widenedContexts.GetValueOrDefault(fn);
                if (ctx is null || ArgsGrow(ctx.Args, args))
                {
                    var joined = args.ToArray();
                    for (int i = 0; ctx is not null && i < joined.Length; i++)
                    {
                        joined[i] = RegValue.Join(joined[i], ctx.Args[i]);
                    }

                    ctx = new Context(fn, joined, cfgOf(fn), pool) { Impure = true };
                    widenedContexts[fn] = ctx;
                    allContexts.Add(ctx);
                }

                widened = true;
            }
        }

        if (ctx.InProgress)
        {
            if (isCallback)
            {
                // A callback that refers back to a function being analysed: its body is (being) analysed there.
                return RegValue.Scalar;
            }

            AddOnce(caller, callInsn, DiagnosticIds.Recursion, Severity.Error, $"recursive call from {caller.Name} to {fn.Name}");
            return RegValue.Scalar;
        }

        if (!ctx.Done)
        {
            ctx.InProgress = true;
            frames++;
            Fixpoint(ctx);
            frames--;
            ctx.InProgress = false;
            ctx.Done = true;
            ctx.FixpointReturn = ctx.Return;
            if (fn == program)
            {
                ctx.Impure = true; // its exit is the program's (check_return_code)
            }
        }

        lastCallClean = !widened; // the reporting pass finds this same context, done, and its final return value
        lastCallee = ctx;
        return ctx.Return.Types == RegTypes.None ? RegValue.Scalar : ctx.Return;
    }

    /// <summary>
    /// True when taking <paramref name="record"/> (not among this program's contexts) and every context it called that
    /// this program has not analysed gives what analysing it here would: none of those is this program's entry, none
    /// pushes a function past <see cref="MaxContextsPerFunction"/> contexts (it would be widened here), and each one
    /// this program has is done (not on the stack: that would be a recursion here) with the same return value. The
    /// caller has checked that the frames it needs fit. Looks as deep as those frames, no deeper.
    /// </summary>
    private bool CanAdopt(ContextRecord record)
    {
        planned.Clear();
        foreach (int f in plannedFunctions)
        {
            plannedCounts[f] = 0;
        }

        plannedFunctions.Clear();
        return Plan(record);
    }

    private bool Plan(ContextRecord r)
    {
        int f = r.Function.Index;
        int pending = plannedCounts[f];
        if (r.Function == program || contextCounts[f] + pending >= MaxContextsPerFunction)
        {
            return false;
        }

        if (pending == 0)
        {
            plannedFunctions.Add(f);
        }

        plannedCounts[f] = pending + 1;
        planned.Add(r.Key);
        foreach (var callee in r.Callees)
        {
            if (contexts.TryGetValue(callee.Key, out var have))
            {
                if (!have.Done || have.InProgress || have.FixpointReturn != callee.Return)
                {
                    return false;
                }
            }
            else if (!planned.Contains(callee.Key) && !Plan(callee))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Takes <paramref name="record"/> and the contexts it called that this program lacks, in the order analysing it would have made them.</summary>
    private Context Adopt(ContextRecord record)
    {
        // The record's one context, made when it is first taken: taken, a context is never run or changed (it is done,
        // so no call analyses it, and no transfer runs in it), so the programs that take it share it (made afresh per
        // program, these were a quarter of the analysis's allocations on an object of 2,000 programs).
        var ctx = record.Adopted ??= new Context(record);
        contexts[record.Key] = ctx;
        allContexts.Add(ctx);
        contextCounts[record.Function.Index]++;
        foreach (var callee in record.Callees)
        {
            if (!contexts.ContainsKey(callee.Key))
            {
                Adopt(callee);
            }
        }

        return ctx;
    }

    /// <summary>True when <paramref name="ctx"/>, analysed here, may become a record for the programs still to come.</summary>
    private bool MayShare(Context ctx) =>
        shared is not null && !ctx.Impure && ctx.Function != program && ctx.Height <= CallDepth.MaxCallFrames && shared.Keeps(ctx.Function);

    /// <summary>
    /// The record of <paramref name="ctx"/>, made (and kept in <see cref="shared"/>) when it and every context it called
    /// are pure; null otherwise. Recursion over callees only as deep as <see cref="Context.Height"/> allows (at most
    /// <see cref="CallDepth.MaxCallFrames"/>).
    /// </summary>
    private ContextRecord? Share(Context ctx)
    {
        if (ctx.Record is not null || ctx.Impure || ctx.Effects is null || ctx.Height > CallDepth.MaxCallFrames)
        {
            return ctx.Record;
        }

        var calls = ctx.Callees ?? [];
        var callees = new ContextRecord[calls.Count];
        for (int k = 0; k < callees.Length; k++)
        {
            if (Share(calls[k]) is not { } r)
            {
                ctx.Impure = true;
                return null;
            }

            callees[k] = r;
        }

        ctx.Record = new ContextRecord(new ContextKey(ctx.Function, ArgsKey.Of(ctx.Args)), ctx.FixpointReturn, callees, ctx.Height, ctx.Effects);
        shared!.Add(ctx.Record);
        return ctx.Record;
    }

    private static bool ArgsGrow(RegValue[] have, RegValue[] want)
    {
        for (int i = 0; i < have.Length; i++)
        {
            if (RegValue.Join(have[i], want[i]) != have[i])
            {
                return true;
            }
        }

        return false;
    }

    private void Fixpoint(Context ctx)
    {
        var cfg = ctx.Cfg;
        ctx.BlockIn[0].SetEntry(ctx.Args);
        var work = new BlockWorklist(cfg.BlockCount);
        work.Add(0);
        var scratch = pool.Rent(); // one per fixpoint: a call inside a block runs a nested fixpoint
        long transfers = 200L * Math.Max(cfg.BlockCount, 1) + 10_000; // this context's own limit
        while (!work.IsEmpty)
        {
            if (--transfers < 0)
            {
                AddOnce(ctx.Function, ctx.Function.StartInsn, DiagnosticIds.AnalysisLimit, Severity.Warning, "analysis did not converge; results for this function are incomplete");
                ctx.Log.Discard(); // blocks still to visit: their last transfers did not see their final states
                ctx.Impure = true;
                break;
            }

            Transfer(ctx, work.TakeMin(), scratch, work);
            if (budget.Exhausted)
            {
                ctx.Impure = true;
                break;
            }
        }

        pool.Return(scratch);
    }

    /// <summary>
    /// The reporting pass over <paramref name="ctx"/>'s reached blocks with their final states, in block order: for a
    /// block whose last fixpoint transfer saw that state (every block, once the fixpoint converged) and made only calls
    /// the pass would make alike, what that transfer logged is replayed instead of running the block again.
    /// </summary>
    private void Report(Context ctx)
    {
        AbstractState? scratch = null;
        for (int b = 0; b < ctx.Cfg.BlockCount; b++)
        {
            if (ctx.BlockIn[b].IsBottom)
            {
                continue;
            }

            if (ctx.Log.RunOf(b) is { } run)
            {
                Replay(ctx, run.Start, run.End);
            }
            else
            {
                scratch ??= pool.Rent();
                Transfer(ctx, b, scratch, null);
                if (budget.Exhausted)
                {
                    break;
                }
            }
        }

        ctx.Log.Discard();
        if (scratch is not null)
        {
            pool.Return(scratch);
        }
    }

    /// <summary>Joins <paramref name="state"/> into block <paramref name="succ"/>'s entry (fixpoint: <paramref name="work"/> set); reporting (null) has no edges to follow.</summary>
    private static void OnEdge(Context ctx, int succ, AbstractState state, BlockWorklist? work)
    {
        if (work is not null && ctx.BlockIn[succ].JoinWith(state))
        {
            work.Add(succ);
        }
    }

    /// <summary>
    /// Runs block <paramref name="blockId"/> in <paramref name="s"/>: in the fixpoint (<paramref name="work"/> set)
    /// hands each successor its edge state; without, the reporting pass.
    /// </summary>
    private void Transfer(Context ctx, int blockId, AbstractState s, BlockWorklist? work)
    {
        var cfg = ctx.Cfg;
        int start = cfg.StartOf(blockId), end = cfg.EndOf(blockId);
        s.CopyFrom(ctx.BlockIn[blockId]);
        var fn = ctx.Function;
        var code = fn.Section;
        // The fixpoint's transfers take the verdicts too, into the log (Emit): the reporting pass replays the last one of
        // each block. With the log given up, they take none, and the pass runs every block.
        var log = ctx.Log;
        budget.Spend(end - start);
        bool recording = work is not null && log.BeginTransfer();
        bool verdicts = work is null || recording;
        for (int i = start; i < end; i++)
        {
            Step(ctx, s, i, verdicts);
        }

        if (recording)
        {
            log.EndTransfer(blockId, fn.Length);
        }

        int last = end - 1;
        if (code.Kinds[last] == InstructionKind.ConditionalJump && cfg.SuccessorOf(blockId, 0) >= 0)
        {
            var insn = cfg.InstructionAt(last);
            int target = cfg.TargetInsnOf(blockId);
            for (int k = 0; k < 2 && cfg.SuccessorOf(blockId, k) is int succ and >= 0; k++)
            {
                bool taken = target >= 0 && cfg.StartOf(succ) == target;
                bool fallthrough = cfg.StartOf(succ) == end;
                // A jump to the next instruction is both edges at once: no refinement.
                if (taken && fallthrough)
                {
                    OnEdge(ctx, succ, s, work);
                }
                else if (work is not null)
                {
                    // Refine copies into edgeA, then edgeB, only when it changes something: nothing is allocated.
                    var edge = RefineScalar(Refine(s, insn, taken, edgeA), insn, taken, edgeB);
                    if (BranchTaken(s, insn) is { } known && known != taken && !edge.Dead)
                    {
                        // An edge the kernel proves dead (is_branch_taken on constants): followed, so session calls
                        // there still get their verdict, but marked, so nothing found there is reported.
                        if (ReferenceEquals(edge, s))
                        {
                            edgeA.CopyFrom(s);
                            edge = edgeA;
                        }

                        edge.Dead = true;
                    }

                    OnEdge(ctx, succ, edge, work);
                }
            }
        }
        else
        {
            for (int k = 0; k < 2 && cfg.SuccessorOf(blockId, k) is int succ and >= 0; k++)
            {
                OnEdge(ctx, succ, s, work);
            }
        }
    }

    /// <summary>Whether a conditional jump is taken, when both operands are constants (the kernel's <c>is_branch_taken</c> decides these too).</summary>
    private static bool? BranchTaken(AbstractState s, in Instruction insn)
    {
        if (insn.Dst > 10 || insn.Operation == Opcodes.Jcond)
        {
            return null;
        }

        var a = s[insn.Dst];
        var b = insn.UsesSrcReg ? (insn.Src <= 10 ? s[insn.Src] : RegValue.Scalar) : RegValue.Constant(insn.Imm);
        if (!a.IsConstant || !b.IsConstant)
        {
            return null;
        }

        bool is32 = insn.Class == Opcodes.ClassJmp32;
        long x = is32 ? (int)a.Min : a.Min, y = is32 ? (int)b.Min : b.Min;
        ulong ux = is32 ? (uint)a.Min : (ulong)a.Min, uy = is32 ? (uint)b.Min : (ulong)b.Min;
        return insn.Operation switch
        {
            Opcodes.Jeq => ux == uy,
            Opcodes.Jne => ux != uy,
            Opcodes.Jgt => ux > uy,
            Opcodes.Jge => ux >= uy,
            Opcodes.Jlt => ux < uy,
            Opcodes.Jle => ux <= uy,
            Opcodes.Jsgt => x > y,
            Opcodes.Jsge => x >= y,
            Opcodes.Jslt => x < y,
            Opcodes.Jsle => x <= y,
            Opcodes.Jset => (ux & uy) != 0,
            _ => null,
        };
    }

    /// <summary>
    /// Scalar refinement on a branch edge (the kernel's <c>reg_set_min_max</c>, for linked registers too): <c>if rX == K</c>
    /// makes rX the constant K on the equal edge. Any other compare of an unbounded scalar would give the kernel
    /// bounds this analysis does not track, so such a value becomes imprecise on both edges.
    /// </summary>
    private static AbstractState RefineScalar(AbstractState s, in Instruction insn, bool taken, AbstractState into)
    {
        if (insn.Dst > 10)
        {
            return s;
        }

        AbstractState? copy = null;
        var d = s[insn.Dst];
        bool exact64 = insn.Class == Opcodes.ClassJmp && !insn.UsesSrcReg && insn.Operation is Opcodes.Jeq or Opcodes.Jne;
        if (exact64 && (d.Types & RegTypes.Scalar) != 0 && d.Known is ScalarKnowledge.Unbounded or ScalarKnowledge.Range)
        {
            bool equal = insn.Operation == Opcodes.Jeq ? taken : !taken;
            if (equal)
            {
                copy = CopyInto(into, s);
                Set(copy, insn.Dst, d, RegValue.Constant(insn.Imm));
            }
            else if (d.Known == ScalarKnowledge.Range && (d.Min == insn.Imm || d.Max == insn.Imm) && d.Min != d.Max)
            {
                copy = CopyInto(into, s);
                Set(copy, insn.Dst, d, RegValue.Range(d.Min == insn.Imm ? d.Min + 1 : d.Min, d.Max == insn.Imm ? d.Max - 1 : d.Max));
            }

            // "!= K" of an unbounded value: the kernel may move umin or umax off K, but smin and smax (all that
            // verbose_invalid_scalar prints) stay S64_MIN and S64_MAX, which no 32-bit immediate can name.
            return copy ?? s;
        }

        for (int k = 0; k < (insn.UsesSrcReg ? 2 : 1); k++)
        {
            int r = k == 0 ? insn.Dst : insn.Src;
            var v = r <= 10 ? (copy ?? s)[r] : RegValue.Scalar;
            if (v.Known == ScalarKnowledge.Unbounded)
            {
                copy ??= CopyInto(into, s);
                Set(copy, r, v, RegValue.Scalar);
            }
        }

        return copy ?? s;
    }

    /// <summary><paramref name="into"/>, made a copy of <paramref name="s"/>.</summary>
    private static AbstractState CopyInto(AbstractState into, AbstractState s)
    {
        into.CopyFrom(s);
        return into;
    }

    private static void Set(AbstractState s, int reg, RegValue old, RegValue scalar)
    {
        if (old.Origin != 0)
        {
            s.ReplaceLinked(old.Origin, scalar);
        }

        s[reg] = s[reg] with { Known = scalar.Known, Min = scalar.Min, Max = scalar.Max, Origin = scalar.Origin };
    }

    /// <summary>Null checks (<c>if rX == 0</c> / <c>!= 0</c>) turn maybe-null pointers into pointers on the non-null edge.</summary>
    private static AbstractState Refine(AbstractState s, in Instruction insn, bool taken, AbstractState into)
    {
        if (insn.UsesSrcReg || insn.Imm != 0 || insn.Operation is not (Opcodes.Jeq or Opcodes.Jne) || insn.Dst > 9)
        {
            return s;
        }

        var v = s[insn.Dst];
        const RegTypes maybeNull = RegTypes.MapValueOrNull | RegTypes.MemOrNull;
        if ((v.Types & maybeNull) == 0)
        {
            return s;
        }

        bool nonNull = insn.Operation == Opcodes.Jne ? taken : !taken;
        var copy = CopyInto(into, s);
        var t = v.Types & ~maybeNull;
        if (nonNull)
        {
            if ((v.Types & RegTypes.MapValueOrNull) != 0) { t |= RegTypes.MapValue; }
            if ((v.Types & RegTypes.MemOrNull) != 0) { t |= RegTypes.Mem; }
        }
        else
        {
            t |= RegTypes.Scalar;
        }

        copy[insn.Dst] = v with { Types = t };
        return copy;
    }

    /// <summary>The kernel's subprogram number of <paramref name="fn"/> in this program's image (func#N).</summary>
    private int SubprogramIndex(BpfFunction fn)
    {
        imageOrder ??= (graph ?? new CallGraph(obj)).ImageOrder(program);
        for (int k = 0; k < imageOrder.Count; k++)
        {
            if (imageOrder[k] == fn)
            {
                return k;
            }
        }

        return -1;
    }

    private void AddOnce(BpfFunction fn, int insn, string id, Severity severity, string message)
    {
        if (!reported.Add((fn.Section.Name, insn, id, message)))
        {
            return;
        }

        diagnostics.Add(obj.DiagnosticAt(fn, insn, id, severity, message));
    }
}
