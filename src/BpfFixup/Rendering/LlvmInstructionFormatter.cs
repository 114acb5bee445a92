// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Isa;

namespace BpfFixup.Rendering;

/// <summary>
/// Renders an instruction exactly as <c>llvm-objdump-19 -d</c> prints it after the raw bytes and TAB (default CPU,
/// no <c>--mcpu</c>). Symbols come from an optional <see cref="ILlvmSymbolResolver"/>: llvm-objdump's trailing
/// <c>&lt;symbol+0xoff&gt;</c> annotation of jumps (<see cref="LlvmSymbolStyle.Annotate"/>, see
/// <see cref="SectionLabelResolver"/>), or names in place of operands (<see cref="LlvmSymbolStyle.Replace"/>).
/// Syntax: llvm/lib/Target/BPF/BPFInstrInfo.td (asm strings) and
/// llvm/lib/Target/BPF/MCTargetDesc/BPFInstPrinter.cpp (hex immediates since LLVM 18, <c>printMemOperand</c>,
/// <c>printBrTargetOperand</c>). Which encodings decode at all follows llvm/lib/Target/BPF/Disassembler/
/// BPFDisassembler.cpp and the fixed fields of BPFInstrInfo.td, as measured with llvm-objdump-19: LLVM ignores
/// some reserved fields, knows registers r0-r11 only, and prints <c>&lt;unknown&gt;</c> for anything it cannot decode.
/// </summary>
public static class LlvmInstructionFormatter
{
    /// <summary>What llvm-objdump prints for bytes it cannot decode (llvm/tools/llvm-objdump/llvm-objdump.cpp).</summary>
    public const string Unknown = "<unknown>";

    /// <summary>Renders <paramref name="insn"/> into a new string.</summary>
    public static string Format(in Instruction insn)
    {
        var sb = new StringBuilder(48);
        Format(insn, sb);
        return sb.ToString();
    }

    /// <summary>Appends the rendering of <paramref name="insn"/> to <paramref name="sb"/>.</summary>
    public static void Format(in Instruction insn, StringBuilder sb) => Format(insn, sb, null, LlvmSymbolStyle.Annotate);

    /// <summary>
    /// Appends the rendering of <paramref name="insn"/> to <paramref name="sb"/>, with the jump targets, callees and
    /// ld_imm64 values <paramref name="resolver"/> names printed in <paramref name="style"/>.
    /// </summary>
    public static void Format(in Instruction insn, StringBuilder sb, ILlvmSymbolResolver? resolver, LlvmSymbolStyle style)
    {
        int start = sb.Length;
        if (!TryFormat(insn, sb, new Symbols(resolver, style)))
        {
            sb.Length = start;
            sb.Append(Unknown);
        }
    }

    // BPFRegisterInfo.td defines R0-R11 (R11 is the hidden AX register); the disassembler's DecodeGPRRegisterClass
    // rejects 12-15.
    private static bool IsReg(int r) => r <= 11;

    private static bool TryFormat(in Instruction insn, StringBuilder sb, Symbols symbols) => insn.Class switch
    {
        Opcodes.ClassAlu or Opcodes.ClassAlu64 => TryAlu(insn, sb),
        Opcodes.ClassJmp or Opcodes.ClassJmp32 => TryJump(insn, sb, symbols),
        Opcodes.ClassLd => TryLd(insn, sb, symbols),
        Opcodes.ClassLdx => TryLdx(insn, sb),
        Opcodes.ClassSt => TrySt(insn, sb),
        _ => TryStx(insn, sb),
    };

    private static bool TryAlu(in Instruction insn, StringBuilder sb)
    {
        bool is64 = insn.Class == Opcodes.ClassAlu64;
        char w = is64 ? 'r' : 'w';
        int d = insn.Dst;
        if (!IsReg(d))
        {
            return false;
        }

        switch (insn.Operation)
        {
            case Opcodes.Neg:
                // BPFInstrInfo.td NEG_32/NEG_64: "$dst = -$src"; only the K form exists, other fields are not checked.
                if (insn.UsesSrcReg)
                {
                    return false;
                }

                sb.Append(w).AppendDecimal(d).Append(" = -").Append(w).AppendDecimal(d);
                return true;
            case Opcodes.End:
                // BPFInstrInfo.td BSWAP/BE/LE: "$dst = be16 $dst", "$dst = bswap64 $dst"; imm is the width;
                // the printer always names the 64-bit register.
                if ((is64 && insn.UsesSrcReg) || insn.Imm is not (16 or 32 or 64))
                {
                    return false;
                }

                sb.Append('r').AppendDecimal(d).Append(" = ")
                    .Append(is64 ? "bswap" : insn.UsesSrcReg ? "be" : "le")
                    .Append(insn.Imm).Append(" r").AppendDecimal(d);
                return true;
            case 0xe0 or 0xf0:
                return false;
        }

        string? op = AluOperator(insn.Operation, insn.Offset, insn.UsesSrcReg, is64);
        if (op is null)
        {
            return false;
        }

        if (!insn.UsesSrcReg)
        {
            // ALU_RI: "$dst op= $imm", imm printed as signed hex (BPFInstPrinter::printImm64Operand/printOperand).
            sb.Append(w).AppendDecimal(d).Append(' ').Append(op).Append(' ');
            AppendSignedHex(sb, insn.Imm);
            return true;
        }

        if (!IsReg(insn.Src))
        {
            return false;
        }

        if (insn.Operation == Opcodes.Mov && insn.Offset != 0)
        {
            if (insn.Offset == PseudoSource.AddrSpaceCast)
            {
                // BPFInstrInfo.td ADDR_SPACE_CAST: "$dst = addr_space_cast($src, $dst_as, $src_as)",
                // imm = dst_as << 16 | src_as.
                sb.Append('r').AppendDecimal(d).Append(" = addr_space_cast(r").AppendDecimal(insn.Src).Append(", 0x")
                    .AppendHex((uint)insn.Imm >> 16).Append(", 0x").AppendHex((uint)insn.Imm & 0xffff).Append(')');
                return true;
            }

            // BPFInstrInfo.td MOVSX_rr_8/16/32: "$dst = (s8)$src".
            sb.Append(w).AppendDecimal(d).Append(" = (s").Append(insn.Offset).Append(')').Append(w).AppendDecimal(insn.Src);
            return true;
        }

        sb.Append(w).AppendDecimal(d).Append(' ').Append(op).Append(' ').Append(w).AppendDecimal(insn.Src);
        return true;

        static string? AluOperator(byte operation, short off, bool x, bool is64) => operation switch
        {
            Opcodes.Add when off == 0 => "+=",
            Opcodes.Sub when off == 0 => "-=",
            Opcodes.Mul when off == 0 => "*=",
            Opcodes.Div when off == 0 => "/=",
            Opcodes.Div when off == 1 => "s/=",
            Opcodes.Or when off == 0 => "|=",
            Opcodes.And when off == 0 => "&=",
            Opcodes.Lsh when off == 0 => "<<=",
            Opcodes.Rsh when off == 0 => ">>=",
            Opcodes.Mod when off == 0 => "%=",
            Opcodes.Mod when off == 1 => "s%=",
            Opcodes.Xor when off == 0 => "^=",
            Opcodes.Arsh when off == 0 => "s>>=",
            Opcodes.Mov when off == 0 => "=",
            // MOVSX exists only as a register move: 8/16 for ALU32, 8/16/32 and addr_space_cast (1) for ALU64.
            Opcodes.Mov when x && (off is 8 or 16 || (is64 && off is 32 or 1)) => "=",
            _ => null,
        };
    }

    private static bool TryJump(in Instruction insn, StringBuilder sb, Symbols symbols)
    {
        bool is32 = insn.Class == Opcodes.ClassJmp32;
        switch (insn.Opcode)
        {
            case Opcodes.ClassJmp | Opcodes.Ja:
                // BPFInstrInfo.td JMP: "goto $BrDst"; BPFInstPrinter::printBrTargetOperand prints off as "+0x8"/"-0x1".
                sb.Append("goto ");
                symbols.AppendBranch(sb, insn, insn.Offset);
                return true;
            case Opcodes.ClassJmp32 | Opcodes.Ja:
                // BPFInstrInfo.td JMPL: "gotol $BrDst" with the distance in imm.
                sb.Append("gotol ");
                symbols.AppendBranch(sb, insn, insn.Imm);
                return true;
            case Opcodes.CallOp:
                // BPFInstrInfo.td JAL: "call $BrDst", the raw imm as signed hex (helper id or -1 before relocation).
                sb.Append("call ");
                symbols.AppendCall(sb, insn);
                return true;
            case Opcodes.CallXOp:
                // BPFInstrInfo.td JALX: "callx $BrDst", the register in dst.
                if (!IsReg(insn.Dst))
                {
                    return false;
                }

                sb.Append("callx r").AppendDecimal(insn.Dst);
                return true;
            case Opcodes.ExitOp:
                // BPFInstrInfo.td RET: "exit", with imm fixed to 0.
                if (insn.Imm != 0)
                {
                    return false;
                }

                sb.Append("exit");
                return true;
            case Opcodes.ClassJmp | Opcodes.Jcond:
                // BPFInstrInfo.td JCOND: "may_goto $BrDst".
                sb.Append("may_goto ");
                symbols.AppendBranch(sb, insn, insn.Offset);
                return true;
        }

        string? op = insn.Operation switch
        {
            Opcodes.Jeq => "==",
            Opcodes.Jgt => ">",
            Opcodes.Jge => ">=",
            Opcodes.Jset => "&",
            Opcodes.Jne => "!=",
            Opcodes.Jsgt => "s>",
            Opcodes.Jsge => "s>=",
            Opcodes.Jlt => "<",
            Opcodes.Jle => "<=",
            Opcodes.Jslt => "s<",
            Opcodes.Jsle => "s<=",
            _ => null,
        };
        if (op is null || !IsReg(insn.Dst) || (insn.UsesSrcReg && !IsReg(insn.Src)))
        {
            return false;
        }

        // BPFInstrInfo.td JMP_RR/JMP_RI (and the _32 forms): "if $dst op $src goto $BrDst".
        char w = is32 ? 'w' : 'r';
        sb.Append("if ").Append(w).AppendDecimal(insn.Dst).Append(' ').Append(op).Append(' ');
        if (insn.UsesSrcReg)
        {
            sb.Append(w).AppendDecimal(insn.Src);
        }
        else
        {
            AppendSignedHex(sb, insn.Imm);
        }

        sb.Append(" goto ");
        symbols.AppendBranch(sb, insn, insn.Offset);
        return true;
    }

    private static bool TryLd(in Instruction insn, StringBuilder sb, Symbols symbols)
    {
        if (insn.Opcode == Opcodes.LdImm64)
        {
            if (insn.IsWide && IsReg(insn.Dst) && symbols.TryAppendImm64(sb, insn))
            {
                return true;
            }

            // BPFInstrInfo.td LD_imm64: "$dst = $imm ll" (64-bit signed hex); LD_pseudo: "ld_pseudo $dst, $pseudo, $imm"
            // with a TAB after the mnemonic and the low imm as unsigned hex. off must be 0; the second slot is not checked.
            if (!insn.IsWide || insn.Offset != 0 || !IsReg(insn.Dst))
            {
                return false;
            }

            if (insn.Src == 0)
            {
                sb.Append('r').AppendDecimal(insn.Dst).Append(" = ");
                AppendSignedHex(sb, insn.Imm64);
                sb.Append(" ll");
            }
            else
            {
                sb.Append("ld_pseudo\tr").AppendDecimal(insn.Dst).Append(", 0x").AppendHex(insn.Src)
                    .Append(", 0x").AppendHex((uint)insn.Imm);
            }

            return true;
        }

        if (insn.SizeBits == Opcodes.SizeDw)
        {
            return false;
        }

        if (insn.Mode == Opcodes.ModeAbs)
        {
            // BPFInstrInfo.td LOAD_ABS: "r0 = *(u32 *)skb[$imm]"; no other field is checked.
            sb.Append("r0 = *(u").Append(insn.AccessSize * 8).Append(" *)skb[");
            AppendSignedHex(sb, insn.Imm);
            sb.Append(']');
            return true;
        }

        if (insn.Mode == Opcodes.ModeInd && IsReg(insn.Src))
        {
            // BPFInstrInfo.td LOAD_IND: "r0 = *(u32 *)skb[$val]" with the register in src; imm is not printed.
            sb.Append("r0 = *(u").Append(insn.AccessSize * 8).Append(" *)skb[r").AppendDecimal(insn.Src).Append(']');
            return true;
        }

        return false;
    }

    private static bool TryLdx(in Instruction insn, StringBuilder sb)
    {
        bool sx = insn.Mode == Opcodes.ModeMemSx;
        if ((insn.Mode != Opcodes.ModeMem && !sx) || (sx && insn.SizeBits == Opcodes.SizeDw) || !IsReg(insn.Dst) || !IsReg(insn.Src))
        {
            return false;
        }

        // BPFInstrInfo.td LOADi64/LOADSX: "$dst = *(u32 *)($addr)"; LLVM 19 without alu32 names the r register.
        sb.Append('r').AppendDecimal(insn.Dst).Append(" = *(").Append(sx ? 's' : 'u').Append(insn.AccessSize * 8).Append(" *)");
        AppendMem(sb, insn.Src, insn.Offset);
        return true;
    }

    private static bool TrySt(in Instruction insn, StringBuilder sb)
    {
        if (insn.Mode != Opcodes.ModeMem || !IsReg(insn.Dst))
        {
            return false;
        }

        // BPFInstrInfo.td STORE_imm: "*(u32 *)($addr) = $imm".
        sb.Append("*(u").Append(insn.AccessSize * 8).Append(" *)");
        AppendMem(sb, insn.Dst, insn.Offset);
        sb.Append(" = ");
        AppendSignedHex(sb, insn.Imm);
        return true;
    }

    private static bool TryStx(in Instruction insn, StringBuilder sb)
    {
        if (!IsReg(insn.Dst) || !IsReg(insn.Src))
        {
            return false;
        }

        int s = insn.Src;
        if (insn.Mode == Opcodes.ModeMem)
        {
            // BPFInstrInfo.td STOREi64: "*(u32 *)($addr) = $src".
            sb.Append("*(u").Append(insn.AccessSize * 8).Append(" *)");
            AppendMem(sb, insn.Dst, insn.Offset);
            sb.Append(" = r").AppendDecimal(s);
            return true;
        }

        if (insn.Mode != Opcodes.ModeAtomic)
        {
            return false;
        }

        int op = (insn.Imm >> 4) & 0xf;
        int low = insn.Imm & 0xf;
        if (insn.SizeBits == Opcodes.SizeW)
        {
            // Without alu32 (the default CPU) LLVM 19 only has XADDW: "lock *(u32 *)($addr) += $val", matching
            // imm bits 4-7 == BPF_ADD and ignoring the rest (so fetch_add and load-acquire's imm print as it too).
            if (op != 0)
            {
                return false;
            }

            sb.Append("lock *(u32 *)");
            AppendMem(sb, insn.Dst, insn.Offset);
            sb.Append(" += r").AppendDecimal(s);
            return true;
        }

        if (insn.SizeBits != Opcodes.SizeDw)
        {
            return false;
        }

        // BPFInstrInfo.td XADDD/XORD/XANDD/XXORD ("lock *(u64 *)($addr) += $val", imm bits 0-3 unchecked),
        // XFADDD/... ("$dst = atomic_fetch_add((u64 *)($addr), $val)", bits 0-3 == BPF_FETCH),
        // XCHGD ("$dst = xchg_64($addr, $val)") and CMPXCHGD ("r0 = cmpxchg_64($addr, r0, $new)"); bits 8-31 unchecked.
        string? alu = op switch
        {
            0x0 => "add",
            0x4 => "or",
            0x5 => "and",
            0xa => "xor",
            _ => null,
        };
        if (alu is not null)
        {
            if (low == 1)
            {
                sb.Append('r').AppendDecimal(s).Append(" = atomic_fetch_").Append(alu).Append("((u64 *)");
                AppendMem(sb, insn.Dst, insn.Offset);
                sb.Append(", r").AppendDecimal(s).Append(')');
                return true;
            }

            sb.Append("lock *(u64 *)");
            AppendMem(sb, insn.Dst, insn.Offset);
            sb.Append(op switch { 0x0 => " += r", 0x4 => " |= r", 0x5 => " &= r", _ => " ^= r" }).AppendDecimal(s);
            return true;
        }

        if (low != 1 || op is not (0xe or 0xf))
        {
            return false;
        }

        if (op == 0xe)
        {
            sb.Append('r').AppendDecimal(s).Append(" = xchg_64(");
            AppendMemInner(sb, insn.Dst, insn.Offset);
            sb.Append(", r").AppendDecimal(s).Append(')');
        }
        else
        {
            sb.Append("r0 = cmpxchg_64(");
            AppendMemInner(sb, insn.Dst, insn.Offset);
            sb.Append(", r0, r").AppendDecimal(s).Append(')');
        }

        return true;
    }

    // BPFInstPrinter::printMemOperand: "(r1 + 0x10)" / "(r10 - 0x8)".
    private static void AppendMem(StringBuilder sb, int reg, short off)
    {
        sb.Append('(');
        AppendMemInner(sb, reg, off);
        sb.Append(')');
    }

    private static void AppendMemInner(StringBuilder sb, int reg, short off)
    {
        sb.Append('r').AppendDecimal(reg).Append(off < 0 ? " - 0x" : " + 0x").AppendHex((ulong)Math.Abs((int)off));
    }

    // BPFInstPrinter::printBrTargetOperand: always signed, "+0x0" for zero.
    private static void AppendBranch(StringBuilder sb, long distance)
    {
        sb.Append(distance < 0 ? "-0x" : "+0x").AppendHex(distance < 0 ? (ulong)-distance : (ulong)distance);
    }

    // "name", "name+0x10", "name-0x10".
    private static void AppendSymbol(StringBuilder sb, in SymbolResult symbol)
    {
        sb.Append(symbol.Name);
        if (symbol.Offset != 0)
        {
            sb.Append(symbol.Offset < 0 ? "-0x" : "+0x").AppendHex(symbol.Offset < 0 ? unchecked((ulong)-symbol.Offset) : (ulong)symbol.Offset);
        }
    }

    /// <summary>The operands a resolver may name, each printed as the formatter would or as the resolver says in the style given.</summary>
    private readonly struct Symbols(ILlvmSymbolResolver? resolver, LlvmSymbolStyle style)
    {
        public void AppendBranch(StringBuilder sb, in Instruction insn, long distance)
        {
            if (resolver is null || !resolver.TryGetBranchSymbol(insn, out var symbol))
            {
                LlvmInstructionFormatter.AppendBranch(sb, distance);
                return;
            }

            if (style == LlvmSymbolStyle.Replace)
            {
                AppendSymbol(sb, symbol);
                return;
            }

            LlvmInstructionFormatter.AppendBranch(sb, distance);
            Annotate(sb, symbol);
        }

        public void AppendCall(StringBuilder sb, in Instruction insn)
        {
            if (resolver is null || !resolver.TryGetCallSymbol(insn, out var symbol))
            {
                AppendSignedHex(sb, insn.Imm);
            }
            else if (style == LlvmSymbolStyle.Replace)
            {
                AppendSymbol(sb, symbol);
            }
            else
            {
                AppendSignedHex(sb, insn.Imm);
                Annotate(sb, symbol);
            }
        }

        // LD_imm64's form, "$dst = $imm ll", with the symbol for the value (Replace) or after the text (Annotate).
        public bool TryAppendImm64(StringBuilder sb, in Instruction insn)
        {
            if (resolver is null || !resolver.TryGetImm64Symbol(insn, out var symbol))
            {
                return false;
            }

            sb.Append('r').AppendDecimal(insn.Dst).Append(" = ");
            if (style == LlvmSymbolStyle.Replace)
            {
                AppendSymbol(sb, symbol);
                sb.Append(" ll");
            }
            else
            {
                AppendSignedHex(sb, insn.Imm64);
                sb.Append(" ll");
                Annotate(sb, symbol);
            }

            return true;
        }

        private static void Annotate(StringBuilder sb, in SymbolResult symbol)
        {
            sb.Append(" <");
            AppendSymbol(sb, symbol);
            sb.Append('>');
        }
    }

    // MCInstPrinter::formatHex for int64: "-0x14", "0x2a".
    private static void AppendSignedHex(StringBuilder sb, long value)
    {
        if (value < 0)
        {
            sb.Append("-0x").AppendHex(unchecked((ulong)-value));
        }
        else
        {
            sb.Append("0x").AppendHex((ulong)value);
        }
    }
}
