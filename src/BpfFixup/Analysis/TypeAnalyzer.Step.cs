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
            case CallTargetKind.Subprogram when code.Relocations[i] is { } relo && target.Section is { IsText: false } elsewhere:
                // libbpf bpf_program__record_reloc refuses a call relocated into any section but .text ("bad call
                // relo against '%s' in section '%s'"): subprograms live in .text, a program is never a callee.
                if (report)
                {
                    AddOnce(ctx.Function, i, DiagnosticIds.BadCallTarget, Severity.Error, $"bad call relo against '{relo.SymbolName}' in section '{elsewhere.Name}': subprograms are in .text");
                }

                Clobber(s);
                s[0] = RegValue.Scalar;
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
}
