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

    private readonly BpfObject obj;
    private readonly BpfFunction program;
    private readonly CallGraph? graph;
    private readonly Func<BpfFunction, ControlFlowGraph> cfgOf;
    private IReadOnlyList<BpfFunction>? imageOrder;
    private readonly Dictionary<(BpfFunction, ArgsKey), Context> contexts = [];
    private readonly Dictionary<BpfFunction, int> contextCounts = [];
    private readonly Dictionary<BpfFunction, Context> widenedContexts = [];
    private readonly List<Context> allContexts = [];
    private readonly Dictionary<BpfFunction, RegValue[]?> globalArguments = [];
    private readonly SiteObservations sites;
    private readonly List<Diagnostic> diagnostics = [];
    private readonly HashSet<CtxLoad> ctxLoads = [];
    private readonly HashSet<(string, int, string)> reported = [];
    private readonly StatePool pool;
    private readonly AbstractState edgeA = AbstractState.Bottom(), edgeB = AbstractState.Bottom(); // a branch edge's refined states
    private readonly RegValue[] callArgs = new RegValue[5]; // r1-r5 at a bpf-to-bpf call, filled by CallLocal
    private bool lastCallClean; // set by AnalyzeCall: the reporting pass would get the same answer from it with no side effect
    private int frames; // contexts being analysed, one inside the other: the verifier's frames

    private TypeAnalyzer(BpfObject obj, BpfFunction program, CallGraph? graph, Func<BpfFunction, ControlFlowGraph> cfgOf, StatePool pool, SiteObservations sites)
    {
        this.obj = obj;
        this.sites = sites;
        this.program = program;
        this.graph = graph;
        this.cfgOf = cfgOf;
        this.pool = pool;
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
        var (sites, diagnostics, loads) = RunWithCtxLoads(obj, program, cfgOf, graph, new StatePool(), new SiteObservations(obj), []);
        return (sites.ToDictionary(p => (p.Site.Section, p.Site.Insn), p => p.R1), diagnostics, loads);
    }

    /// <summary>
    /// <see cref="RunWithCtxLoads(BpfObject, BpfFunction, Func{BpfFunction, ControlFlowGraph}, CallGraph?)"/>, its block
    /// states lent by <paramref name="pool"/> and given back at the end, R1 at each call site gathered in
    /// <paramref name="observations"/> (left empty) and returned in <see cref="BpfObject.SessionCallSites"/> order in
    /// <paramref name="siteR1"/> (cleared first).
    /// </summary>
    internal static (List<(SessionCallSite Site, RegValue R1)> SiteR1, IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<CtxLoad> CtxLoads) RunWithCtxLoads(
        BpfObject obj, BpfFunction program, Func<BpfFunction, ControlFlowGraph> cfgOf, CallGraph? graph, StatePool pool, SiteObservations observations,
        List<(SessionCallSite Site, RegValue R1)> siteR1)
    {
        var a = new TypeAnalyzer(obj, program, graph, cfgOf, pool, observations);
        a.AnalyzeCall(program, [RegValue.Ctx, RegValue.NotInit, RegValue.NotInit, RegValue.NotInit, RegValue.NotInit], program, -1);
        foreach (var c in a.allContexts.ToList())
        {
            a.Report(c);
        }

        foreach (var c in a.allContexts)
        {
            pool.Return(c.BlockIn);
        }

        return (observations.Drain(siteR1), a.diagnostics, [.. a.ctxLoads.OrderBy(l => l.Function == program ? 0 : 1).ThenBy(l => l.Function.Section.Name, StringComparer.Ordinal).ThenBy(l => l.Insn).ThenBy(l => l.Offset)]);
    }

    private sealed class Context(BpfFunction function, RegValue[] args, ControlFlowGraph cfg, StatePool pool)
    {
        public BpfFunction Function { get; } = function;

        public RegValue[] Args { get; } = args;

        public ControlFlowGraph Cfg { get; } = cfg;

        public AbstractState[] BlockIn { get; } = RentStates(pool, cfg.Blocks.Count);

        public RegValue Return { get; set; }

        public bool InProgress { get; set; }

        public bool Done { get; set; }

        /// <summary>The positions of the function's section's call sites in <see cref="SiteObservations"/>, once asked for.</summary>
        public (int Start, int End)? SiteRange { get; set; }

        /// <summary>What the fixpoint's transfers would have the reporting pass do, and where each block's last transfer wrote it.</summary>
        public ReportLog Log { get; } = new(cfg.Blocks.Count, pool);

        private static AbstractState[] RentStates(StatePool pool, int count)
        {
            var states = new AbstractState[count];
            for (int b = 0; b < count; b++)
            {
                states[b] = pool.Rent();
            }

            return states;
        }
    }

    /// <summary>A call context's identity: the five argument values (a value type, so lookups do not allocate).</summary>
    private readonly record struct ArgsKey(RegValue R1, RegValue R2, RegValue R3, RegValue R4, RegValue R5)
    {
        public static ArgsKey Of(RegValue[] a) => new(a[0], a[1], a[2], a[3], a[4]);
    }

    /// <summary>
    /// <see cref="AnalyzeCall(BpfFunction, RegValue[], BpfFunction, int, bool)"/> from a block of <paramref name="from"/>: a
    /// call that the reporting pass would not see the same way (a frame too many, recursion, a widened context) means
    /// that block's log cannot stand in for it.
    /// </summary>
    private RegValue AnalyzeCall(Context from, BpfFunction fn, RegValue[] args, int callInsn, bool isCallback = false)
    {
        var ret = AnalyzeCall(fn, args, from.Function, callInsn, isCallback);
        if (!lastCallClean)
        {
            from.Log.TransferIsClean = false;
        }

        return ret;
    }

    private RegValue AnalyzeCall(BpfFunction fn, RegValue[] args, BpfFunction caller, int callInsn, bool isCallback = false)
    {
        lastCallClean = false;
        if (frames >= CallDepth.MaxCallFrames)
        {
            // The verifier refuses the 9th frame (kernel/bpf/verifier.c setup_func_entry). Not descending keeps
            // this recursion as shallow as the kernel's frames, whatever the chain's length.
            AddOnce(caller, callInsn, DiagnosticIds.CallStackTooDeep, Severity.Error, $"the call stack of {CallDepth.MaxCallFrames + 1} frames is too deep");
            return RegValue.Scalar;
        }

        var key = ArgsKey.Of(args);
        bool widened = false;
        if (!contexts.TryGetValue((fn, key), out var ctx))
        {
            int n = contextCounts.GetValueOrDefault(fn);
            if (n < MaxContextsPerFunction)
            {
                ctx = new Context(fn, [.. args], cfgOf(fn), pool); // a copy: args may be the analyzer's scratch array
                contexts[(fn, key)] = ctx;
                allContexts.Add(ctx);
                contextCounts[fn] = n + 1;
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

                    ctx = new Context(fn, joined, cfgOf(fn), pool);
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
        }

        lastCallClean = !widened; // the reporting pass finds this same context, done, and its final return value
        return ctx.Return.Types == RegTypes.None ? RegValue.Scalar : ctx.Return;
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
        var work = new BlockWorklist(cfg.Blocks.Count);
        work.Add(0);
        var scratch = pool.Rent(); // one per fixpoint: a call inside a block runs a nested fixpoint
        long budget = 200L * Math.Max(cfg.Blocks.Count, 1) + 10_000;
        while (!work.IsEmpty)
        {
            if (--budget < 0)
            {
                AddOnce(ctx.Function, ctx.Function.StartInsn, DiagnosticIds.AnalysisLimit, Severity.Warning, "analysis did not converge; results for this function are incomplete");
                ctx.Log.Discard(); // blocks still to visit: their last transfers did not see their final states
                break;
            }

            Transfer(ctx, work.TakeMin(), scratch, work);
        }

        pool.Return([scratch]);
    }

    /// <summary>
    /// The reporting pass over <paramref name="ctx"/>'s reached blocks with their final states, in block order: for a
    /// block whose last fixpoint transfer saw that state (every block, once the fixpoint converged) and made only calls
    /// the pass would make alike, what that transfer logged is replayed instead of running the block again.
    /// </summary>
    private void Report(Context ctx)
    {
        AbstractState? scratch = null;
        for (int b = 0; b < ctx.Cfg.Blocks.Count; b++)
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
            }
        }

        ctx.Log.Discard();
        if (scratch is not null)
        {
            pool.Return([scratch]);
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
        var blocks = ctx.Cfg.BlockList;
        var block = blocks[blockId];
        s.CopyFrom(ctx.BlockIn[blockId]);
        var fn = ctx.Function;
        var code = fn.Section;
        // The fixpoint's transfers take the verdicts too, into the log (Emit): the reporting pass replays the last one of
        // each block. With the log given up, they take none, and the pass runs every block.
        var log = ctx.Log;
        bool recording = work is not null && log.BeginTransfer();
        bool verdicts = work is null || recording;
        for (int i = block.Start; i < block.End; i++)
        {
            Step(ctx, s, i, verdicts);
        }

        if (recording)
        {
            log.EndTransfer(blockId, ctx.Cfg.Function.Length);
        }

        int last = block.End - 1;
        var insn = code.Instructions[last];
        if (code.Kinds[last] == InstructionKind.ConditionalJump && block.SuccessorCount > 0)
        {
            int target = block.TargetInsn;
            for (int k = 0; k < block.SuccessorCount; k++)
            {
                int succ = block.SuccessorAt(k);
                bool taken = target >= 0 && blocks[succ].Start == target;
                bool fallthrough = blocks[succ].Start == block.End;
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
            for (int k = 0; k < block.SuccessorCount; k++)
            {
                OnEdge(ctx, block.SuccessorAt(k), s, work);
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
        if (!reported.Add((fn.Section.Name, insn, id + message)))
        {
            return;
        }

        diagnostics.Add(obj.DiagnosticAt(fn, insn, id, severity, message));
    }
}
