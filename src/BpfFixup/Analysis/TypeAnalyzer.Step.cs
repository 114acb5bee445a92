// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Isa;
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>The transfer function: what one instruction does to the abstract state (the verifier's <c>do_check_insn</c>, in spirit).</summary>
public sealed partial class TypeAnalyzer
{
    private void Read(Context ctx, AbstractState s, int insn, int reg, bool report)
    {
        if (report && reg <= 10 && (s[reg].Types & RegTypes.NotInit) != 0)
        {
            // check_reg_arg (kernel/bpf/verifier.c) rejects any read of a NOT_INIT register. Uninitialised on every
            // path that reaches here, the kernel rejects too: an error. On some paths only, the kernel may prove
            // those paths dead by value tracking that this pass lacks: a warning.
            var severity = s[reg].Types == RegTypes.NotInit ? Severity.Error : Severity.Warning;
            Emit(ctx, insn, DiagnosticIds.UninitRead, severity, $"R{reg} !read_ok");
        }
    }

    private void Step(Context ctx, AbstractState s, int i, bool verdicts)
    {
        // Session-call verdicts are taken on every path; diagnostics only where the kernel goes.
        bool report = verdicts && !s.Dead;
        var code = ctx.Function.Section;
        var insn = ctx.Cfg.InstructionAt(i);
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
                if (report && src <= 10 && s[src] is { Types: RegTypes.Ctx, CtxOffsetVaries: false, CtxVarOffset: false } c && insn.Mode is Opcodes.ModeMem or Opcodes.ModeMemSx)
                {
                    Emit(ctx, new CtxLoad(ctx.Function, i, c.CtxOffset + insn.Offset, insn.AccessSize));
                }
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
                s[0] = HelperReturnTypes.Of(insn.Imm, i);
                break;
            case InstructionKind.CallKfunc:
            case InstructionKind.CallReg:
                Clobber(s);
                s[0] = RegValue.Scalar;
                break;
            case InstructionKind.CallLocal:
                CallLocal(ctx, s, i, verdicts);
                break;
            case InstructionKind.Exit:
                if (ctx.Function == program || GlobalArguments(ctx.Function) is not null)
                {
                    // The kernel reads R0 at the exit of the program and of global functions (check_return_code);
                    // a static subprogram's R0 is only read if its caller reads it (a void function leaves it unset).
                    Read(ctx, s, i, 0, report);
                }

                if (report && ctx.Function == program)
                {
                    CheckReturnCode(ctx, s[0], i);
                }

                ctx.Return = RegValue.Join(ctx.Return, s[0]);
                EmitReturn(ctx, s[0]); // the reporting pass joins it again
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// kernel/bpf/verifier.c <c>check_return_code</c> at the program's exit: fentry, fexit and fsession programs must
    /// return 0 (<c>retval_range(0, 0)</c>). Wording of <c>verbose_invalid_scalar</c> (7.x: smin/smax, "unknown
    /// scalar value" when neither is bounded). An error only where every path the analysis saw is out of range;
    /// where it knows less than the kernel, a "cannot tell" warning.
    /// </summary>
    private void CheckReturnCode(Context ctx, RegValue r0, int i)
    {
        var def = program.Definition;
        if (def?.ProgramType != ProgramType.Tracing || def.AttachType is not (AttachType.TraceFentry or AttachType.TraceFexit or AttachType.TraceFsession))
        {
            return;
        }

        const long lo = 0, hi = 0;
        const string want = " should have been in [0, 0]";
        if ((r0.Types & RegTypes.NotInit) != 0)
        {
            return; // R0 !read_ok, reported by the read
        }

        if (r0.Types != RegTypes.Scalar)
        {
            Emit(ctx, i, DiagnosticIds.ReturnRange, Severity.Warning, $"cannot tell whether R0 at program exit is in [{lo}, {hi}]: it may be {r0}");
            return;
        }

        switch (r0.Known)
        {
            case ScalarKnowledge.Unbounded:
                Emit(ctx, i, DiagnosticIds.ReturnRange, Severity.Error, "At program exit the register R0 has unknown scalar value" + want);
                break;
            case ScalarKnowledge.Range when r0.Max < lo || r0.Min > hi:
                string bounds = (r0.Min > long.MinValue ? $" smin={r0.Min}" : string.Empty) + (r0.Max < long.MaxValue ? $" smax={r0.Max}" : string.Empty);
                Emit(ctx, i, DiagnosticIds.ReturnRange, Severity.Error, "At program exit the register R0 has" + bounds + want);
                break;
            case ScalarKnowledge.Range when r0.Min >= lo && r0.Max <= hi:
                break;
            default:
                Emit(ctx, i, DiagnosticIds.ReturnRange, Severity.Warning, $"cannot tell whether R0 at program exit is in [{lo}, {hi}] (the kernel requires it of {def.AttachTypeName} programs)");
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

    private void CallLocal(Context ctx, AbstractState s, int i, bool verdicts)
    {
        bool report = verdicts && !s.Dead;
        var code = ctx.Function.Section;
        var target = obj.ResolveCall(code, i, ctx.Cfg.InstructionAt(i));
        switch (target.Kind)
        {
            case CallTargetKind.Kfunc:
                var k = SessionKfuncs.FromName(target.Name ?? string.Empty);
                if (k is not null && verdicts)
                {
                    EmitSite(ctx, i, s[1]);
                }

                Clobber(s);
                // bpf_session_cookie returns PTR_TO_MEM of 8 bytes, not NULL (check_kfunc_call: r0_size = sizeof(u64), no KF_RET_NULL); bpf_session_is_return
                // a bool the kernel leaves unbounded (check_kfunc_call: mark_reg_unknown, mark_btf_func_reg_size).
                s[0] = k == SessionKfunc.Cookie ? RegValue.Of(RegTypes.Mem) : k == SessionKfunc.IsReturn ? RegValue.Unbounded(i) : RegValue.Scalar;
                break;
            case CallTargetKind.Subprogram when code.Relocations[i] is { } relo && target.Section is { IsText: false } elsewhere:
                // libbpf bpf_program__record_reloc refuses a call relocated into any section but .text ("bad call
                // relo against '%s' in section '%s'"): subprograms live in .text, a program is never a callee.
                if (report)
                {
                    Emit(ctx, i, DiagnosticIds.BadCallTarget, Severity.Error, $"bad call relo against '{relo.SymbolName}' in section '{elsewhere.Name}': subprograms are in .text");
                }

                Clobber(s);
                s[0] = RegValue.Scalar;
                break;
            case CallTargetKind.Subprogram when target.Section is { } ts && ts.FunctionAt(target.TargetInsn) is { } callee && callee.StartInsn == target.TargetInsn:
                RegValue ret;
                if (GlobalArguments(callee) is { } typed)
                {
                    if (GlobalSubprogram.InvalidArgument(obj, callee) is { } invalid)
                    {
                        // check_func_call -> btf_check_subprog_call -> btf_prepare_func_args fails: the kernel stops
                        // at this call and never verifies the callee.
                        if (report)
                        {
                            ctx.Impure = true; // func#N numbers the program's image
                            Emit(ctx, i, DiagnosticIds.InvalidGlobalArgs, Severity.Error, invalid);
                            Emit(ctx, i, DiagnosticIds.InvalidGlobalArgs, Severity.Note, $"Caller passes invalid args into func#{SubprogramIndex(callee)} ('{callee.Name}')");
                        }
                    }
                    else
                    {
                        // A global function is verified once with its BTF-typed arguments; it returns a scalar.
                        AnalyzeCall(ctx, callee, typed, i);
                    }

                    ret = RegValue.Scalar;
                }
                else
                {
                    // The analyzer's one argument array: AnalyzeCall copies it before a nested call can refill it.
                    var args = callArgs;
                    for (int r = 1; r <= 5; r++)
                    {
                        args[r - 1] = s[r];
                    }

                    ret = AnalyzeCall(ctx, callee, args, i);
                }

                Clobber(s);
                s[0] = ret;
                break;
            default:
                if (report && !ControlFlowGraph.IsCallToInvalidDestination(obj, code, i, code.Kinds[i]))
                {
                    var call = code.Instructions[i];
                    string message = call.Imm == -1 && code.Relocations[i] is null
                        ? "call -1 without a relocation: a kfunc or global-function call whose R_BPF_64_32 relocation is missing"
                        : target.Kind == CallTargetKind.Subprogram ? "call to a target that is not the start of a function" : ControlFlowGraph.InvalidDestination;
                    Emit(ctx, i, DiagnosticIds.BadCallTarget, Severity.Error, message);
                }

                Clobber(s);
                s[0] = RegValue.Scalar;
                break;
        }
    }

    private RegValue[]? GlobalArguments(BpfFunction fn)
    {
        if (!globalArgumentsKnown[fn.Index])
        {
            globalArguments[fn.Index] = GlobalSubprogram.Arguments(obj, fn);
            globalArgumentsKnown[fn.Index] = true;
        }

        return globalArguments[fn.Index];
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
            AnalyzeCall(ctx, callee, CallbackArgs, i, isCallback: true);
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
        // BPF_K: the kernel pretends the source is a register with the known value imm (sign-extended to 64 bits).
        var v = x ? (src <= 10 ? s[src] : RegValue.Scalar) : RegValue.Constant(is64 ? insn.Imm : (uint)insn.Imm);
        if (op == Opcodes.Mov)
        {
            s[dst] = Move(v, insn, is64);
            return;
        }

        if (op is Opcodes.Neg or Opcodes.End)
        {
            // With allow_ptr_leaks these are allowed on pointers too and give an unknown scalar.
            s[dst] = op == Opcodes.Neg && d.IsConstant ? RegValue.Constant(is64 ? unchecked(-d.Min) : (uint)unchecked(-(int)d.Min)) : RegValue.Scalar;
            return;
        }

        if (d.MayBePointer || v.MayBePointer)
        {
            s[dst] = PointerAlu(ctx, i, insn, is64, d, v, report);
            return;
        }

        bool signedDivMod = op is Opcodes.Div or Opcodes.Mod && insn.Offset != 0;
        if (d.IsConstant && v.IsConstant && !signedDivMod && PointerArithmetic.Fold(op, is64, d.Min, v.Min) is { } folded)
        {
            s[dst] = RegValue.Constant(folded);
        }
        else if (op == Opcodes.And && v.IsConstant && v.Min >= 0 && (is64 || v.Min <= uint.MaxValue) && (d.Types & RegTypes.NotInit) == 0)
        {
            s[dst] = RegValue.Range(0, v.Min); // tnum_and with a non-negative mask
        }
        else
        {
            s[dst] = RegValue.Scalar;
        }
    }

    private static RegValue Move(RegValue v, in Instruction insn, bool is64)
    {
        if (is64)
        {
            // movsx (off 8/16/32) of a constant could be folded; left imprecise.
            return insn.Offset == 0 ? v : RegValue.Scalar;
        }

        if (v.IsConstant && insn.Offset == 0)
        {
            return RegValue.Constant((uint)v.Min);
        }

        // A 32-bit copy: zero-extended; of a pointer, an unknown scalar (allow_ptr_leaks).
        return v.Types == RegTypes.Scalar && v.Known == ScalarKnowledge.Range && v.Min >= 0 && v.Max <= uint.MaxValue && insn.Offset == 0 ? v : RegValue.Scalar;
    }

    /// <summary>The kernel's rules for an ALU instruction where either side may be a pointer: an error, a "cannot tell" warning, or nothing.</summary>
    private void ReportPointerAlu(Context ctx, int i, in Instruction insn, bool is64, RegValue d, RegValue v)
    {
        int dst = insn.Dst;
        byte op = insn.Operation;
        var messages = new HashSet<string?>();
        bool undecided = false;
        var dPtr = d.Types & ~(RegTypes.Scalar | RegTypes.NotInit);
        var vPtr = v.Types & ~(RegTypes.Scalar | RegTypes.NotInit);
        bool dScalar = (d.Types & RegTypes.Scalar) != 0, vScalar = (v.Types & RegTypes.Scalar) != 0;

        // Each combination of possible types on the two sides (paths the analysis joined).
        foreach (RegTypes t in Enum.GetValues<RegTypes>())
        {
            if (t == RegTypes.None)
            {
                continue;
            }

            if (t == RegTypes.OtherPtr && ((dPtr | vPtr) & t) != 0)
            {
                // PTR_TO_BTF_ID (allowed) and sockets (not) are one type here: the kernel's answer is not known.
                undecided = true;
                continue;
            }

            if ((dPtr & t) != 0)
            {
                if (vPtr != 0)
                {
                    messages.Add(PointerArithmetic.Judge(dst, op, is64, t, true, true, v));
                }

                if (vScalar || !insn.UsesSrcReg)
                {
                    messages.Add(PointerArithmetic.Judge(dst, op, is64, t, true, false, v));
                }
            }

            if ((vPtr & t) != 0 && dScalar)
            {
                messages.Add(PointerArithmetic.Judge(dst, op, is64, t, false, false, d));
            }
        }

        bool mixed = (dScalar && dPtr != 0) || (vScalar && vPtr != 0);
        var errors = messages.Where(m => m is not null).ToList();
        if (errors.Count > 0)
        {
            if (errors.Count == 1 && !messages.Contains(null) && !mixed && !undecided)
            {
                Emit(ctx, i, DiagnosticIds.PointerArithmetic, Severity.Error, errors[0]!);
            }
            else
            {
                Emit(ctx, i, DiagnosticIds.PointerArithmetic, Severity.Warning, $"cannot tell whether the kernel allows this: R{dst} may be {d} and the operand {v} on different paths; on some the kernel says '{errors[0]}'");
            }
        }
    }

    /// <summary>An ALU instruction where either side may be a pointer: the diagnostics (when reporting) and the resulting value.</summary>
    private RegValue PointerAlu(Context ctx, int i, in Instruction insn, bool is64, RegValue d, RegValue v, bool report)
    {
        // r0 = 8 * idx; r0 -= r1; r0 = -r0 is the bpf_session_cookie sequence of fixup_kfunc_call (kernel/bpf/verifier.c)
        // in an already patched object: the kernel writes it after verification and never checks it.
        if (report && !IsInlinedCookieSubtraction(ctx.Function.Section, i))
        {
            ReportPointerAlu(ctx, i, insn, is64, d, v);
        }

        byte op = insn.Operation;
        var dPtr = d.Types & ~(RegTypes.Scalar | RegTypes.NotInit);
        var vPtr = v.Types & ~(RegTypes.Scalar | RegTypes.NotInit);
        if (!is64 || (dPtr != 0 && vPtr != 0) || op is not (Opcodes.Add or Opcodes.Sub))
        {
            return RegValue.Scalar;
        }

        // pointer +/- scalar keeps the pointer (scalar += pointer takes the pointer's type).
        var ptr = dPtr != 0 ? d : v;
        var off = dPtr != 0 ? v : d;
        if (op == Opcodes.Sub && dPtr == 0)
        {
            return RegValue.Scalar;
        }

        return off.IsConstant ? ptr.AddConstant(op == Opcodes.Sub ? unchecked(-off.Min) : off.Min) : ptr.AddVariable();
    }

    /// <summary>True at the <c>r0 -= r1</c> of an inlined bpf_session_cookie sequence (load ctx[-1], shift, mask, shift, sub, neg).</summary>
    private static bool IsInlinedCookieSubtraction(CodeSection code, int i)
    {
        if (i < 4 || i + 1 >= code.Instructions.Length)
        {
            return false;
        }

        var load = code.Instructions[i - 4];
        var sub = code.Instructions[i];
        var neg = code.Instructions[i + 1];
        return sub.Opcode == (Opcodes.ClassAlu64 | Opcodes.Sub | Opcodes.SourceX) && sub.Dst == 0 && sub.Src == 1
            && neg.Opcode == (Opcodes.ClassAlu64 | Opcodes.Neg) && neg.Dst == 0
            && load.Opcode == (Opcodes.ClassLdx | Opcodes.ModeMem | Opcodes.SizeDw) && load.Dst == 0 && load.Src == 1 && load.Offset == -8;
    }
}
