// SPDX-License-Identifier: MIT
namespace BpfFixup.Isa;

/// <summary>
/// Decides which defined instruction an encoding is. The rules are RFC 9669 §3-§5 plus the Linux
/// extensions the kernel accepts (kernel/bpf/verifier.c <c>check_alu_op</c>, <c>do_check_insn</c>,
/// <c>check_atomic</c>): sdiv/smod and movsx through <c>off</c>, bswap, addr_space_cast, gotol,
/// may_goto, gotox, load-acquire and store-release.
/// </summary>
public static class InstructionClassifier
{
    /// <summary>The kind of <paramref name="insn"/>, or <see cref="InstructionKind.Invalid"/>.</summary>
    public static InstructionKind Classify(in Instruction insn) => Explain(insn, out _);

    /// <summary>
    /// The kind of <paramref name="insn"/>; when invalid, <paramref name="reason"/> says why in the
    /// words of the kernel or PREVAIL's unmarshaller.
    /// </summary>
    public static InstructionKind Explain(in Instruction insn, out string? reason)
    {
        reason = null;
        if (insn.Dst > 10)
        {
            reason = "bad register";
            return InstructionKind.Invalid;
        }

        var kind = insn.Class switch
        {
            Opcodes.ClassAlu or Opcodes.ClassAlu64 => ClassifyAlu(insn, ref reason),
            Opcodes.ClassLdx => ClassifyLoad(insn, ref reason),
            Opcodes.ClassSt => insn.Mode == Opcodes.ModeMem ? InstructionKind.StoreImm : Fail(ref reason, "unknown store mode"),
            Opcodes.ClassStx => ClassifyStx(insn, ref reason),
            Opcodes.ClassLd => ClassifyLd(insn, ref reason),
            Opcodes.ClassJmp => ClassifyJmp(insn, ref reason),
            _ => ClassifyJmp32(insn, ref reason),
        };
        if (kind != InstructionKind.Invalid && insn.Src > 10 && UsesSrcField(kind, insn))
        {
            reason = "bad register";
            return InstructionKind.Invalid;
        }

        return kind;
    }

    private static bool UsesSrcField(InstructionKind kind, in Instruction insn) => kind switch
    {
        InstructionKind.Alu32 or InstructionKind.Alu64 or InstructionKind.ConditionalJump => insn.UsesSrcReg,
        InstructionKind.Load or InstructionKind.StoreReg or InstructionKind.Atomic => true,
        _ => false,
    };

    private static InstructionKind Fail(ref string? reason, string why)
    {
        reason = why;
        return InstructionKind.Invalid;
    }

    private static InstructionKind ClassifyAlu(in Instruction insn, ref string? reason)
    {
        bool is64 = insn.Class == Opcodes.ClassAlu64;
        var ok = is64 ? InstructionKind.Alu64 : InstructionKind.Alu32;
        switch (insn.Operation)
        {
            case Opcodes.Add or Opcodes.Sub or Opcodes.Mul or Opcodes.Or or Opcodes.And or Opcodes.Lsh
                or Opcodes.Rsh or Opcodes.Xor or Opcodes.Arsh:
                return insn.Offset == 0 ? ok : Fail(ref reason, "nonzero offset for ALU op");
            case Opcodes.Div or Opcodes.Mod:
                // RFC 9669 §4.1: off 1 selects the signed variant (sdiv, smod).
                return insn.Offset is 0 or 1 ? ok : Fail(ref reason, "invalid offset for div/mod");
            case Opcodes.Neg:
                return !insn.UsesSrcReg && insn.Offset == 0 ? ok : Fail(ref reason, "invalid neg encoding");
            case Opcodes.Mov:
                if (!insn.UsesSrcReg)
                {
                    return insn.Offset == 0 ? ok : Fail(ref reason, "nonzero offset for mov imm");
                }

                // RFC 9669 §4.1 MOVSX: off 8/16 (and 32 for ALU64); Linux BPF_ADDR_SPACE_CAST: ALU64, off 1.
                if (insn.Offset is 0 or 8 or 16 || (is64 && insn.Offset == 32))
                {
                    return ok;
                }

                return is64 && insn.Offset == PseudoSource.AddrSpaceCast ? ok : Fail(ref reason, "invalid movsx offset");
            case Opcodes.End:
                // RFC 9669 §4.2: ALU le/be (source bit picks be), ALU64 K is bswap; width 16/32/64.
                if (is64 && insn.UsesSrcReg)
                {
                    return Fail(ref reason, "invalid byte swap encoding");
                }

                return insn.Imm is 16 or 32 or 64 && insn.Offset == 0 ? ok : Fail(ref reason, "invalid byte swap width");
            default:
                return Fail(ref reason, "unknown ALU operation");
        }
    }

    private static InstructionKind ClassifyLoad(in Instruction insn, ref string? reason) => insn.Mode switch
    {
        Opcodes.ModeMem => InstructionKind.Load,
        Opcodes.ModeMemSx when insn.SizeBits != Opcodes.SizeDw => InstructionKind.Load,
        _ => Fail(ref reason, "unknown load mode"),
    };

    private static InstructionKind ClassifyStx(in Instruction insn, ref string? reason)
    {
        if (insn.Mode == Opcodes.ModeMem)
        {
            return InstructionKind.StoreReg;
        }

        if (insn.Mode != Opcodes.ModeAtomic)
        {
            return Fail(ref reason, "unknown store mode");
        }

        switch (insn.Imm)
        {
            case Opcodes.AtomicLoadAcquire or Opcodes.AtomicStoreRelease:
                return InstructionKind.Atomic;
            case Opcodes.Add or Opcodes.Or or Opcodes.And or Opcodes.Xor
                or Opcodes.Add | Opcodes.AtomicFetch or Opcodes.Or | Opcodes.AtomicFetch
                or Opcodes.And | Opcodes.AtomicFetch or Opcodes.Xor | Opcodes.AtomicFetch
                or Opcodes.AtomicXchg or Opcodes.AtomicCmpXchg:
                // RFC 9669 §5.3: read-modify-write atomics exist for 32 and 64 bits only.
                return insn.SizeBits is Opcodes.SizeW or Opcodes.SizeDw ? InstructionKind.Atomic : Fail(ref reason, "invalid atomic size");
            default:
                return Fail(ref reason, "unknown atomic operation");
        }
    }

    private static InstructionKind ClassifyLd(in Instruction insn, ref string? reason)
    {
        if (insn.Opcode == Opcodes.LdImm64)
        {
            if (!insn.IsWide)
            {
                return Fail(ref reason, "incomplete lddw");
            }

            if (insn.NextOpcode != 0 || insn.NextDst != 0 || insn.NextSrc != 0 || insn.NextOffset != 0)
            {
                return Fail(ref reason, "invalid lddw second slot");
            }

            return insn.Src <= PseudoSource.MapIdxValue ? InstructionKind.LoadImm64 : Fail(ref reason, "invalid lddw source");
        }

        return insn.Mode is Opcodes.ModeAbs or Opcodes.ModeInd && insn.SizeBits != Opcodes.SizeDw
            ? InstructionKind.LegacyPacketLoad
            : Fail(ref reason, "unknown load mode");
    }

    private static InstructionKind ClassifyJmp(in Instruction insn, ref string? reason)
    {
        switch (insn.Operation)
        {
            case Opcodes.Ja:
                return insn.UsesSrcReg ? InstructionKind.IndirectGoto : InstructionKind.Goto;
            case Opcodes.Call:
                if (insn.UsesSrcReg)
                {
                    return InstructionKind.CallReg;
                }

                return insn.Src switch
                {
                    0 => InstructionKind.CallHelper,
                    PseudoSource.Call => InstructionKind.CallLocal,
                    PseudoSource.KfuncCall => InstructionKind.CallKfunc,
                    _ => Fail(ref reason, "invalid call source"),
                };
            case Opcodes.Exit:
                return insn.UsesSrcReg ? Fail(ref reason, "invalid exit encoding") : InstructionKind.Exit;
            case Opcodes.Jcond:
                return !insn.UsesSrcReg && insn.Src == 0 ? InstructionKind.MayGoto : Fail(ref reason, "invalid conditional pseudo jump");
            case 0xf0:
                return Fail(ref reason, "unknown jump operation");
            default:
                return InstructionKind.ConditionalJump;
        }
    }

    private static InstructionKind ClassifyJmp32(in Instruction insn, ref string? reason) => insn.Operation switch
    {
        Opcodes.Ja when !insn.UsesSrcReg => InstructionKind.GotoLong,
        Opcodes.Ja or Opcodes.Call or Opcodes.Exit or Opcodes.Jcond or 0xf0 => Fail(ref reason, "unknown jump32 operation"),
        _ => InstructionKind.ConditionalJump,
    };
}
