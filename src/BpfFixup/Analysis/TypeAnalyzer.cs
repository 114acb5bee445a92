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
public sealed class TypeAnalyzer
{
    private const int MaxContextsPerFunction = 16;

    private readonly BpfObject obj;
    private readonly Func<BpfFunction, ControlFlowGraph> cfgOf;
    private readonly Dictionary<(BpfFunction, ArgsKey), Context> contexts = [];
    private readonly Dictionary<BpfFunction, int> contextCounts = [];
    private readonly Dictionary<BpfFunction, Context> widenedContexts = [];
    private readonly List<Context> allContexts = [];
    private readonly Dictionary<BpfFunction, RegValue[]?> globalArguments = [];
    private readonly Dictionary<(CodeSection, int), RegValue> siteR1 = [];
    private readonly List<Diagnostic> diagnostics = [];
    private readonly HashSet<(string, int, string)> reported = [];

    private TypeAnalyzer(BpfObject obj, Func<BpfFunction, ControlFlowGraph> cfgOf)
    {
        this.obj = obj;
        this.cfgOf = cfgOf;
    }

    /// <summary>Analyses <paramref name="program"/> with r1 = ctx.</summary>
    public static (IReadOnlyDictionary<(CodeSection Section, int Insn), RegValue> SiteR1, IReadOnlyList<Diagnostic> Diagnostics) Run(
        BpfObject obj, BpfFunction program, Func<BpfFunction, ControlFlowGraph> cfgOf)
    {
        var a = new TypeAnalyzer(obj, cfgOf);
        a.AnalyzeCall(program, [RegValue.Ctx, RegValue.NotInit, RegValue.NotInit, RegValue.NotInit, RegValue.NotInit], program, -1);
        foreach (var c in a.allContexts.ToList())
        {
            a.Report(c);
        }

        return (a.siteR1, a.diagnostics);
    }

    private sealed class Context(BpfFunction function, RegValue[] args, ControlFlowGraph cfg)
    {
        public BpfFunction Function { get; } = function;

        public RegValue[] Args { get; } = args;

        public ControlFlowGraph Cfg { get; } = cfg;

        public AbstractState[] BlockIn { get; } = cfg.Blocks.Select(_ => AbstractState.Bottom()).ToArray();

        public RegValue Return { get; set; }

        public bool InProgress { get; set; }

        public bool Done { get; set; }
    }

    /// <summary>A call context's identity: the five argument values (a value type, so lookups do not allocate).</summary>
    private readonly record struct ArgsKey(RegValue R1, RegValue R2, RegValue R3, RegValue R4, RegValue R5)
    {
        public static ArgsKey Of(RegValue[] a) => new(a[0], a[1], a[2], a[3], a[4]);
    }

    private RegValue AnalyzeCall(BpfFunction fn, RegValue[] args, BpfFunction caller, int callInsn, bool isCallback = false)
    {
        var key = ArgsKey.Of(args);
        if (!contexts.TryGetValue((fn, key), out var ctx))
        {
            int n = contextCounts.GetValueOrDefault(fn);
            if (n < MaxContextsPerFunction)
            {
                ctx = new Context(fn, args, cfgOf(fn));
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

                    ctx = new Context(fn, joined, cfgOf(fn));
                    widenedContexts[fn] = ctx;
                    allContexts.Add(ctx);
                }
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
            Fixpoint(ctx);
            ctx.InProgress = false;
            ctx.Done = true;
        }

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
        ctx.BlockIn[0] = AbstractState.Entry(ctx.Args);
        var work = new SortedSet<int> { 0 };
        var scratch = AbstractState.Bottom(); // one per fixpoint: a call inside a block runs a nested fixpoint
        long budget = 200L * Math.Max(cfg.Blocks.Count, 1) + 10_000;
        while (work.Count > 0)
        {
            if (--budget < 0)
            {
                AddOnce(ctx.Function, ctx.Function.StartInsn, DiagnosticIds.AnalysisLimit, Severity.Warning, "analysis did not converge; results for this function are incomplete");
                break;
            }

            int b = work.Min;
            work.Remove(b);
            Transfer(ctx, b, scratch, report: false, (succ, state) =>
            {
                if (ctx.BlockIn[succ].JoinWith(state))
                {
                    work.Add(succ);
                }
            });
        }
    }

    private void Report(Context ctx)
    {
        var scratch = AbstractState.Bottom();
        for (int b = 0; b < ctx.Cfg.Blocks.Count; b++)
        {
            if (!ctx.BlockIn[b].IsBottom)
            {
                Transfer(ctx, b, scratch, report: true, static (_, _) => { });
            }
        }
    }

    /// <summary>Runs block <paramref name="blockId"/> in <paramref name="s"/> and hands each successor its edge state.</summary>
    private void Transfer(Context ctx, int blockId, AbstractState s, bool report, Action<int, AbstractState> onEdge)
    {
        var block = ctx.Cfg.Blocks[blockId];
        s.CopyFrom(ctx.BlockIn[blockId]);
        var fn = ctx.Function;
        var code = fn.Section;
        for (int i = block.Start; i < block.End; i++)
        {
            Step(ctx, s, i, report);
        }

        int last = block.End - 1;
        var insn = code.Instructions[last];
        if (code.Kinds[last] == InstructionKind.ConditionalJump && block.Successors.Count > 0)
        {
            int target = ControlFlowGraph.JumpTarget(fn, last, out _);
            foreach (var succ in block.Successors)
            {
                bool taken = target >= 0 && ctx.Cfg.Blocks[succ].Start == target;
                bool fallthrough = ctx.Cfg.Blocks[succ].Start == block.End;
                // A jump to the next instruction is both edges at once: no refinement.
                onEdge(succ, taken && fallthrough ? s : Refine(s, insn, taken));
            }
        }
        else
        {
            foreach (var succ in block.Successors)
            {
                onEdge(succ, s);
            }
        }
    }

    /// <summary>Null checks (<c>if rX == 0</c> / <c>!= 0</c>) turn maybe-null pointers into pointers on the non-null edge.</summary>
    private static AbstractState Refine(AbstractState s, in Instruction insn, bool taken)
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
        var copy = s.Clone();
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

    private void Read(Context ctx, AbstractState s, int insn, int reg, bool report)
    {
        if (report && reg <= 10 && (s[reg].Types & RegTypes.NotInit) != 0)
        {
            AddOnce(ctx.Function, insn, DiagnosticIds.UninitRead, Severity.Warning, $"R{reg} !read_ok");
        }
    }

    private void Step(Context ctx, AbstractState s, int i, bool report)
    {
        var code = ctx.Function.Section;
        var insn = code.Instructions[i];
        var kind = code.Kinds[i];
        int dst = insn.Dst, src = insn.Src;
        switch (kind)
        {
            case InstructionKind.Alu32:
            case InstructionKind.Alu64:
                Alu(ctx, s, i, insn, kind == InstructionKind.Alu64, report);
                break;
            case InstructionKind.Load:
                Read(ctx, s, i, src, report);
                if (dst <= 9)
                {
                    var b = src <= 10 ? s[src] : RegValue.Scalar;
                    s[dst] = b.IsExactStack && insn.AccessSize == 8 && insn.Mode == Opcodes.ModeMem ? s.Fill(b.StackOffset + insn.Offset) : RegValue.Scalar;
                }

                break;
            case InstructionKind.StoreReg:
            case InstructionKind.StoreImm:
                Read(ctx, s, i, dst, report);
                if (kind == InstructionKind.StoreReg)
                {
                    Read(ctx, s, i, src, report);
                }

                Store(s, insn, kind == InstructionKind.StoreReg && src <= 10 ? s[src] : RegValue.Scalar);
                break;
            case InstructionKind.Atomic:
                Read(ctx, s, i, dst, report);
                Read(ctx, s, i, src, report);
                Store(s, insn, RegValue.Scalar);
                if (insn.Imm == Opcodes.AtomicCmpXchg)
                {
                    s[0] = RegValue.Scalar;
                }
                else if ((insn.Imm & Opcodes.AtomicFetch) != 0 || insn.Imm == Opcodes.AtomicLoadAcquire)
                {
                    int r = insn.Imm == Opcodes.AtomicLoadAcquire ? dst : src;
                    if (r <= 9)
                    {
                        s[r] = RegValue.Scalar;
                    }
                }

                break;
            case InstructionKind.LoadImm64:
                if (dst <= 9)
                {
                    s[dst] = LoadImm64Type(code, i, insn);
                }

                AnalyzeCallback(ctx, i);
                break;
            case InstructionKind.LegacyPacketLoad:
                Clobber(s);
                s[0] = RegValue.Scalar;
                break;
            case InstructionKind.ConditionalJump:
                Read(ctx, s, i, dst, report);
                if (insn.UsesSrcReg)
                {
                    Read(ctx, s, i, src, report);
                }

                break;
            case InstructionKind.CallHelper:
                Clobber(s);
                s[0] = HelperReturnTypes.Of(insn.Imm);
                break;
            case InstructionKind.CallKfunc:
            case InstructionKind.CallReg:
                Clobber(s);
                s[0] = RegValue.Scalar;
                break;
            case InstructionKind.CallLocal:
                CallLocal(ctx, s, i, report);
                break;
            case InstructionKind.Exit:
                Read(ctx, s, i, 0, report);
                ctx.Return = RegValue.Join(ctx.Return, s[0]);
                break;
            default:
                break;
        }
    }

    private static void Clobber(AbstractState s)
    {
        for (int r = 1; r <= 5; r++)
        {
            s[r] = RegValue.NotInit;
        }
    }

    private void CallLocal(Context ctx, AbstractState s, int i, bool report)
    {
        var code = ctx.Function.Section;
        var target = obj.ResolveCall(code, i);
        switch (target.Kind)
        {
            case CallTargetKind.Kfunc:
                var k = SessionKfuncs.FromName(target.Name ?? string.Empty);
                if (k is not null && report)
                {
                    siteR1[(code, i)] = siteR1.TryGetValue((code, i), out var seen) ? RegValue.Join(seen, s[1]) : s[1];
                }

                Clobber(s);
                // bpf_session_cookie returns PTR_TO_MEM of 8 bytes, not NULL (kernel-fsession §3.4).
                s[0] = k == SessionKfunc.Cookie ? RegValue.Of(RegTypes.Mem) : RegValue.Scalar;
                break;
            case CallTargetKind.Subprogram when target.Section is { } ts && ts.FunctionAt(target.TargetInsn) is { } callee && callee.StartInsn == target.TargetInsn:
                RegValue ret;
                if (GlobalArguments(callee) is { } typed)
                {
                    // A global function is verified once with its BTF-typed arguments; it returns a scalar.
                    AnalyzeCall(callee, typed, ctx.Function, i);
                    ret = RegValue.Scalar;
                }
                else
                {
                    var args = new RegValue[5];
                    for (int r = 1; r <= 5; r++)
                    {
                        args[r - 1] = s[r];
                    }

                    ret = AnalyzeCall(callee, args, ctx.Function, i);
                }

                Clobber(s);
                s[0] = ret;
                break;
            default:
                if (report)
                {
                    var call = code.Instructions[i];
                    string message = call.Imm == -1 && code.Relocations[i] is null
                        ? "call -1 without a relocation: a kfunc or global-function call whose R_BPF_64_32 relocation is missing"
                        : target.Kind == CallTargetKind.Subprogram ? "call to a target that is not the start of a function" : "call to invalid destination";
                    AddOnce(ctx.Function, i, DiagnosticIds.BadCallTarget, Severity.Error, message);
                }

                Clobber(s);
                s[0] = RegValue.Scalar;
                break;
        }
    }

    private RegValue[]? GlobalArguments(BpfFunction fn)
    {
        if (!globalArguments.TryGetValue(fn, out var args))
        {
            args = GlobalSubprogram.Arguments(obj, fn);
            globalArguments[fn] = args;
        }

        return args;
    }

    /// <summary>
    /// A code address loaded with ld_imm64 is a callback (bpf_loop, bpf_for_each_map_elem, timers...). The
    /// kernel verifies its body when the helper is called, with arguments the helper supplies (an index, a map,
    /// the caller's context pointer): none of them is the program's ctx. Analyse it with scalar arguments.
    /// </summary>
    private void AnalyzeCallback(Context ctx, int i)
    {
        var code = ctx.Function.Section;
        var target = obj.ResolveFunctionPointer(code, i);
        if (target.Kind == CallTargetKind.Subprogram && target.Function is { } callee)
        {
            AnalyzeCall(callee, [RegValue.Scalar, RegValue.Scalar, RegValue.Scalar, RegValue.Scalar, RegValue.Scalar], ctx.Function, i, isCallback: true);
        }
    }

    private RegValue LoadImm64Type(CodeSection code, int i, in Instruction insn)
    {
        if (code.Relocations[i] is not { } reloc)
        {
            return insn.Src switch
            {
                PseudoSource.Func => RegValue.Of(RegTypes.Func),
                PseudoSource.MapFd or PseudoSource.MapIdx => RegValue.Of(RegTypes.MapPtr),
                PseudoSource.MapValue or PseudoSource.MapIdxValue => RegValue.Of(RegTypes.MapValue),
                PseudoSource.BtfId => RegValue.Of(RegTypes.OtherPtr),
                _ => RegValue.Scalar,
            };
        }

        if (!reloc.Symbol.HasSection)
        {
            return RegValue.Scalar; // an extern: a __ksym existence check or a kconfig value
        }

        var section = obj.Elf.Sections[reloc.Symbol.SectionIndex];
        if (section.IsCode)
        {
            return RegValue.Of(RegTypes.Func);
        }

        // libbpf: ".maps" (and legacy "maps") hold map definitions; other data sections become map values.
        return section.Name == ".maps" || section.Name.StartsWith("maps", StringComparison.Ordinal)
            ? RegValue.Of(RegTypes.MapPtr)
            : RegValue.Of(RegTypes.MapValue);
    }

    private static void Store(AbstractState s, in Instruction insn, RegValue value)
    {
        var b = insn.Dst <= 10 ? s[insn.Dst] : RegValue.Scalar;
        if ((b.Types & RegTypes.Stack) == 0)
        {
            return;
        }

        if (!b.IsExactStack)
        {
            s.ClobberAll();
            return;
        }

        int at = b.StackOffset + insn.Offset;
        if (insn.Class == Opcodes.ClassStx && insn.Mode == Opcodes.ModeMem && insn.AccessSize == 8)
        {
            s.Clobber(at, 8);
            s.Spill(at, value);
        }
        else
        {
            s.Clobber(at, insn.AccessSize);
        }
    }

    private void Alu(Context ctx, AbstractState s, int i, in Instruction insn, bool is64, bool report)
    {
        int dst = insn.Dst, src = insn.Src;
        byte op = insn.Operation;
        bool x = insn.UsesSrcReg;
        if (x)
        {
            Read(ctx, s, i, src, report);
        }

        if (op != Opcodes.Mov)
        {
            Read(ctx, s, i, dst, report);
        }

        if (dst > 9)
        {
            return;
        }

        var d = s[dst];
        var v = x && src <= 10 ? s[src] : RegValue.Scalar;
        if (!is64)
        {
            s[dst] = RegValue.Scalar;
            return;
        }

        s[dst] = op switch
        {
            Opcodes.Mov when x && insn.Offset == 0 => v,
            Opcodes.Add when !x => d.AddConstant(insn.Imm),
            Opcodes.Sub when !x => d.AddConstant(-(long)insn.Imm),
            Opcodes.Add when v.Types == RegTypes.Scalar => d.Types == RegTypes.Scalar ? RegValue.Scalar : d.AddVariable(),
            Opcodes.Add when d.Types == RegTypes.Scalar => v.AddVariable(),
            Opcodes.Sub when v.Types == RegTypes.Scalar => d.Types == RegTypes.Scalar ? RegValue.Scalar : d.AddVariable(),
            _ => RegValue.Scalar,
        };
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
