// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Isa;

namespace BpfFixup.Rendering;

/// <summary>
/// Renders an instruction in the kernel disassembler's syntax, as <c>bpftool prog dump xlated</c> and the
/// verifier log print it, with the <c>(%02x) </c> opcode prefix and without bpftool's <c>%4u: </c> index.
/// Every rule follows kernel/bpf/disasm.c <c>print_bpf_insn</c> (Linux 6.18: load-acquire/store-release, gotox,
/// may_goto, addr_space_cast, the internal per-CPU mov), with bpftool's <c>allow_ptr_leaks = true</c> so an
/// ld_imm64 shows its value. Undefined encodings print what that function prints for them (<c>BUG_…</c>, or a
/// C <c>printf</c> of a NULL table entry as <c>(null)</c>).
/// </summary>
public static class XlatedInstructionFormatter
{
    private const string Null = "(null)"; // glibc printf("%s", NULL); the kernel's vsnprintf prints the same.

    /// <summary>Renders <paramref name="insn"/> into a new string.</summary>
    public static string Format(in Instruction insn, IXlatedSymbolResolver? resolver = null)
    {
        var sb = new StringBuilder(48);
        Format(insn, sb, resolver);
        return sb.ToString();
    }

    /// <summary>Appends the rendering of <paramref name="insn"/> to <paramref name="sb"/>.</summary>
    public static void Format(in Instruction insn, StringBuilder sb, IXlatedSymbolResolver? resolver = null)
    {
        switch (insn.Class)
        {
            case Opcodes.ClassAlu or Opcodes.ClassAlu64:
                Alu(insn, sb);
                break;
            case Opcodes.ClassStx:
                Stx(insn, sb);
                break;
            case Opcodes.ClassSt:
                St(insn, sb);
                break;
            case Opcodes.ClassLdx:
                Ldx(insn, sb);
                break;
            case Opcodes.ClassLd:
                Ld(insn, sb, resolver);
                break;
            default:
                Jump(insn, sb, resolver);
                break;
        }
    }

    // disasm.c bpf_alu_string.
    private static string AluString(byte op) => op switch
    {
        Opcodes.Add => "+=",
        Opcodes.Sub => "-=",
        Opcodes.Mul => "*=",
        Opcodes.Div => "/=",
        Opcodes.Or => "|=",
        Opcodes.And => "&=",
        Opcodes.Lsh => "<<=",
        Opcodes.Rsh => ">>=",
        Opcodes.Neg => "neg",
        Opcodes.Mod => "%=",
        Opcodes.Xor => "^=",
        Opcodes.Mov => "=",
        Opcodes.Arsh => "s>>=",
        Opcodes.End => "endian",
        _ => Null,
    };

    // disasm.c bpf_ldst_string, indexed by BPF_SIZE.
    private static string SizeString(in Instruction insn) => insn.SizeBits switch
    {
        Opcodes.SizeW => "u32",
        Opcodes.SizeH => "u16",
        Opcodes.SizeB => "u8",
        _ => "u64",
    };

    private static StringBuilder Prefix(StringBuilder sb, byte code) => sb.Append('(').AppendHex2(code).Append(") ");

    // "(r%d %+d)" as disasm.c writes memory operands.
    private static StringBuilder Mem(StringBuilder sb, int reg, short off) =>
        sb.Append("(r").Append(reg).Append(' ').Append(off >= 0 ? "+" : string.Empty).Append(off).Append(')');

    private static void Alu(in Instruction insn, StringBuilder sb)
    {
        bool alu32 = insn.Class == Opcodes.ClassAlu;
        char w = alu32 ? 'w' : 'r';
        byte op = insn.Operation;
        Prefix(sb, insn.Opcode);
        if (op == Opcodes.End)
        {
            // print_bpf_end_insn "r%d = %s%d r%d" (le/be) and print_bpf_bswap_insn "r%d = bswap%d r%d".
            sb.Append('r').AppendDecimal(insn.Dst).Append(" = ")
                .Append(alu32 ? (insn.UsesSrcReg ? "be" : "le") : "bswap")
                .Append(insn.Imm).Append(" r").AppendDecimal(insn.Dst);
        }
        else if (op == Opcodes.Neg)
        {
            // "%c%d = -%c%d".
            sb.Append(w).AppendDecimal(insn.Dst).Append(" = -").Append(w).AppendDecimal(insn.Dst);
        }
        else if (insn.Opcode == (Opcodes.ClassAlu64 | Opcodes.Mov | Opcodes.SourceX) && insn.Offset == PseudoSource.AddrSpaceCast)
        {
            // is_addr_space_cast: "r%d = addr_space_cast(r%d, %u, %u)" with (u32)imm >> 16 and (u16)imm.
            sb.Append('r').AppendDecimal(insn.Dst).Append(" = addr_space_cast(r").AppendDecimal(insn.Src).Append(", ")
                .Append((uint)insn.Imm >> 16).Append(", ").Append((ushort)insn.Imm).Append(')');
        }
        else if (insn.Opcode == (Opcodes.ClassAlu64 | Opcodes.Mov | Opcodes.SourceX) && insn.Offset == -1)
        {
            // is_mov_percpu_addr (BPF_ADDR_PERCPU, verifier-internal): "r%d = &(void __percpu *)(r%d)".
            sb.Append('r').AppendDecimal(insn.Dst).Append(" = &(void __percpu *)(r").AppendDecimal(insn.Src).Append(')');
        }
        else
        {
            // is_sdiv_smod: off 1 on div/mod selects bpf_alu_sign_string.
            bool signed = op is Opcodes.Div or Opcodes.Mod && insn.Offset == 1;
            string text = signed ? (op == Opcodes.Div ? "s/=" : "s%=") : AluString(op);
            sb.Append(w).AppendDecimal(insn.Dst).Append(' ').Append(text).Append(' ');
            if (insn.UsesSrcReg)
            {
                // "%c%d %s %s%c%d", with bpf_movsx_string when is_movsx (MOV and off 8/16/32).
                if (op == Opcodes.Mov && insn.Offset is 8 or 16 or 32)
                {
                    sb.Append("(s").Append(insn.Offset).Append(')');
                }

                sb.Append(w).AppendDecimal(insn.Src);
            }
            else
            {
                // "%c%d %s %d".
                sb.Append(insn.Imm);
            }
        }
    }

    private static void Stx(in Instruction insn, StringBuilder sb)
    {
        string size = SizeString(insn);
        if (insn.Mode == Opcodes.ModeMem)
        {
            // "*(%s *)(r%d %+d) = r%d".
            Mem(Prefix(sb, insn.Opcode).Append("*(").Append(size).Append(" *)"), insn.Dst, insn.Offset).Append(" = r").AppendDecimal(insn.Src);
            return;
        }

        if (insn.Mode != Opcodes.ModeAtomic)
        {
            sb.Append("BUG_").AppendHex2(insn.Opcode);
            return;
        }

        string bits = insn.SizeBits == Opcodes.SizeDw ? "64" : string.Empty;
        switch (insn.Imm)
        {
            case Opcodes.Add or Opcodes.And or Opcodes.Or or Opcodes.Xor:
                // "lock *(%s *)(r%d %+d) %s r%d".
                Mem(Prefix(sb, insn.Opcode).Append("lock *(").Append(size).Append(" *)"), insn.Dst, insn.Offset)
                    .Append(' ').Append(AluString((byte)insn.Imm)).Append(" r").AppendDecimal(insn.Src);
                return;
            case Opcodes.Add | Opcodes.AtomicFetch or Opcodes.And | Opcodes.AtomicFetch
                or Opcodes.Or | Opcodes.AtomicFetch or Opcodes.Xor | Opcodes.AtomicFetch:
                // "r%d = atomic%s_fetch_%s((%s *)(r%d %+d), r%d)" with bpf_atomic_alu_string.
                string name = (insn.Imm & 0xf0) switch { Opcodes.Add => "add", Opcodes.And => "and", Opcodes.Or => "or", _ => "xor" };
                Mem(Prefix(sb, insn.Opcode).Append('r').AppendDecimal(insn.Src).Append(" = atomic").Append(bits).Append("_fetch_")
                    .Append(name).Append("((").Append(size).Append(" *)"), insn.Dst, insn.Offset).Append(", r").AppendDecimal(insn.Src).Append(')');
                return;
            case Opcodes.AtomicCmpXchg:
                // "r0 = atomic%s_cmpxchg((%s *)(r%d %+d), r0, r%d)".
                Mem(Prefix(sb, insn.Opcode).Append("r0 = atomic").Append(bits).Append("_cmpxchg((").Append(size).Append(" *)"), insn.Dst, insn.Offset)
                    .Append(", r0, r").AppendDecimal(insn.Src).Append(')');
                return;
            case Opcodes.AtomicXchg:
                // "r%d = atomic%s_xchg((%s *)(r%d %+d), r%d)".
                Mem(Prefix(sb, insn.Opcode).Append('r').AppendDecimal(insn.Src).Append(" = atomic").Append(bits).Append("_xchg((").Append(size).Append(" *)"), insn.Dst, insn.Offset)
                    .Append(", r").AppendDecimal(insn.Src).Append(')');
                return;
            case Opcodes.AtomicLoadAcquire:
                // "r%d = load_acquire((%s *)(r%d %+d))": the loaded register is dst, the address src.
                Mem(Prefix(sb, insn.Opcode).Append('r').AppendDecimal(insn.Dst).Append(" = load_acquire((").Append(size).Append(" *)"), insn.Src, insn.Offset).Append(')');
                return;
            case Opcodes.AtomicStoreRelease:
                // "store_release((%s *)(r%d %+d), r%d)".
                Mem(Prefix(sb, insn.Opcode).Append("store_release((").Append(size).Append(" *)"), insn.Dst, insn.Offset).Append(", r").AppendDecimal(insn.Src).Append(')');
                return;
            default:
                sb.Append("BUG_").AppendHex2(insn.Opcode);
                return;
        }
    }

    private static void St(in Instruction insn, StringBuilder sb)
    {
        if (insn.Mode == Opcodes.ModeMem)
        {
            // "*(%s *)(r%d %+d) = %d".
            Mem(Prefix(sb, insn.Opcode).Append("*(").Append(SizeString(insn)).Append(" *)"), insn.Dst, insn.Offset).Append(" = ").Append(insn.Imm);
        }
        else if (insn.Mode == 0xc0)
        {
            // BPF_NOSPEC (verifier-internal, no UAPI): "nospec".
            Prefix(sb, insn.Opcode).Append("nospec");
        }
        else
        {
            sb.Append("BUG_st_").AppendHex2(insn.Opcode);
        }
    }

    private static void Ldx(in Instruction insn, StringBuilder sb)
    {
        bool sx = insn.Mode == Opcodes.ModeMemSx;
        if (insn.Mode != Opcodes.ModeMem && !sx)
        {
            sb.Append("BUG_ldx_").AppendHex2(insn.Opcode);
            return;
        }

        // "r%d = *(%s *)(r%d %+d)" with bpf_ldsx_string for MEMSX. That table has no DW entry (reading it is
        // out of bounds in C); this prints "(null)" for it.
        string size = !sx ? SizeString(insn) : insn.SizeBits switch
        {
            Opcodes.SizeW => "s32",
            Opcodes.SizeH => "s16",
            Opcodes.SizeB => "s8",
            _ => Null,
        };
        Mem(Prefix(sb, insn.Opcode).Append('r').AppendDecimal(insn.Dst).Append(" = *(").Append(size).Append(" *)"), insn.Src, insn.Offset);
    }

    private static void Ld(in Instruction insn, StringBuilder sb, IXlatedSymbolResolver? resolver)
    {
        if (insn.Mode == Opcodes.ModeAbs)
        {
            // "r0 = *(%s *)skb[%d]".
            Prefix(sb, insn.Opcode).Append("r0 = *(").Append(SizeString(insn)).Append(" *)skb[").Append(insn.Imm).Append(']');
        }
        else if (insn.Mode == Opcodes.ModeInd)
        {
            // "r0 = *(%s *)skb[r%d + %d]".
            Prefix(sb, insn.Opcode).Append("r0 = *(").Append(SizeString(insn)).Append(" *)skb[r").AppendDecimal(insn.Src).Append(" + ").Append(insn.Imm).Append(']');
        }
        else if (insn.Opcode == Opcodes.LdImm64)
        {
            // "r%d = %s" with cb_imm, default __func_imm_name "0x%llx" of the 64-bit value.
            Prefix(sb, insn.Opcode).Append('r').AppendDecimal(insn.Dst).Append(" = ");
            string? text = resolver?.Imm64Text(insn);
            if (text is null)
            {
                sb.Append("0x").AppendHex((ulong)insn.Imm64);
            }
            else
            {
                sb.Append(text);
            }
        }
        else
        {
            sb.Append("BUG_ld_").AppendHex2(insn.Opcode);
        }
    }

    private static void Jump(in Instruction insn, StringBuilder sb, IXlatedSymbolResolver? resolver)
    {
        bool jmp32 = insn.Class == Opcodes.ClassJmp32;
        Prefix(sb, insn.Opcode);
        if (insn.Operation == Opcodes.Call)
        {
            Call(insn, sb, resolver);
            return;
        }

        switch (insn.Opcode)
        {
            case Opcodes.ClassJmp | Opcodes.Ja:
                sb.Append("goto pc").Append(insn.Offset >= 0 ? "+" : string.Empty).Append(insn.Offset);
                return;
            case Opcodes.ClassJmp | Opcodes.Ja | Opcodes.SourceX:
                sb.Append("gotox r").AppendDecimal(insn.Dst);
                return;
            case Opcodes.ClassJmp | Opcodes.Jcond when insn.Src == 0:
                sb.Append("may_goto pc").Append(insn.Offset >= 0 ? "+" : string.Empty).Append(insn.Offset);
                return;
            case Opcodes.ClassJmp32 | Opcodes.Ja:
                sb.Append("gotol pc").Append(insn.Imm >= 0 ? "+" : string.Empty).Append(insn.Imm);
                return;
            case Opcodes.ExitOp:
                sb.Append("exit");
                return;
        }

        // bpf_jmp_string; BPF_JA is "jmp", call and exit keep their names, 0xe0/0xf0 are NULL.
        string op = insn.Operation switch
        {
            Opcodes.Ja => "jmp",
            Opcodes.Jeq => "==",
            Opcodes.Jgt => ">",
            Opcodes.Jge => ">=",
            Opcodes.Jset => "&",
            Opcodes.Jne => "!=",
            Opcodes.Jsgt => "s>",
            Opcodes.Jsge => "s>=",
            Opcodes.Exit => "exit",
            Opcodes.Jlt => "<",
            Opcodes.Jle => "<=",
            Opcodes.Jslt => "s<",
            Opcodes.Jsle => "s<=",
            _ => Null,
        };
        char w = jmp32 ? 'w' : 'r';
        sb.Append("if ").Append(w).AppendDecimal(insn.Dst).Append(' ').Append(op).Append(' ');
        if (insn.UsesSrcReg)
        {
            // "if %c%d %s %c%d goto pc%+d".
            sb.Append(w).AppendDecimal(insn.Src);
        }
        else
        {
            // "if %c%d %s 0x%x goto pc%+d" with (u32)imm.
            sb.Append("0x").AppendHex((uint)insn.Imm);
        }

        sb.Append(" goto pc").Append(insn.Offset >= 0 ? "+" : string.Empty).Append(insn.Offset);
    }

    private static void Call(in Instruction insn, StringBuilder sb, IXlatedSymbolResolver? resolver)
    {
        // __func_get_name: the built-in helper table (src 0) wins over cb_call; then the callback; then
        // "%+d" for BPF_PSEUDO_CALL, "kernel-function" for BPF_PSEUDO_KFUNC_CALL, else the preset "unknown".
        if (insn.Src == PseudoSource.Call)
        {
            string? kfunc = resolver?.KfuncName(insn);
            if (kfunc is not null)
            {
                sb.Append("call ").Append(kfunc).Append('#').Append(insn.Imm);
                return;
            }

            // "call pc%s".
            sb.Append("call pc");
            string? target = resolver?.PseudoCallTarget(insn);
            if (target is null)
            {
                sb.Append(insn.Imm >= 0 ? "+" : string.Empty).Append(insn.Imm);
            }
            else
            {
                sb.Append(target);
            }

            return;
        }

        // "call %s#%d".
        string name = insn.Src switch
        {
            // func_id_str[0] is "bpf_unspec" (___BPF_FUNC_MAPPER starts with FN(unspec, 0)); HelperIds.NameOf skips it.
            0 => insn.Imm == 0 ? "bpf_unspec" : HelperIds.NameOf(insn.Imm) ?? resolver?.HelperName(insn.Imm) ?? "unknown",
            PseudoSource.KfuncCall => resolver?.KfuncName(insn) ?? "kernel-function",
            _ => "unknown",
        };
        sb.Append("call ").Append(name).Append('#').Append(insn.Imm);
    }
}
