// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;

namespace BpfFixup.Isa;

/// <summary>
/// One decoded BPF instruction: a single 8-byte slot, or the two slots of <c>ld_imm64</c>.
/// Fields mirror <c>struct bpf_insn</c> (include/uapi/linux/bpf.h) exactly, so that encoding gives back
/// the decoded bytes; all interpretation is computed from them (RFC 9669 §3).
/// </summary>
/// <remarks>Auto layout packs the fields into 20 bytes instead of 24 (issue 8's memory bound: one per instruction).</remarks>
[StructLayout(LayoutKind.Auto)]
public readonly record struct Instruction
{
    /// <summary>The opcode byte.</summary>
    public byte Opcode { get; init; }

    /// <summary>Destination register number (0-15 as encoded; 0-10 are valid).</summary>
    public byte Dst { get; init; }

    /// <summary>Source register number (0-15 as encoded), or a pseudo source for calls and ld_imm64.</summary>
    public byte Src { get; init; }

    /// <summary>Signed 16-bit offset.</summary>
    public short Offset { get; init; }

    /// <summary>Signed 32-bit immediate (the low half for ld_imm64).</summary>
    public int Imm { get; init; }

    /// <summary>For ld_imm64: the second slot's imm, the high 32 bits of the constant.</summary>
    public int NextImm { get; init; }

    /// <summary>For ld_imm64: the second slot's opcode, registers and offset as encoded (all zero when valid).</summary>
    public byte NextOpcode { get; init; }

    /// <summary>For ld_imm64: the second slot's destination nibble.</summary>
    public byte NextDst { get; init; }

    /// <summary>For ld_imm64: the second slot's source nibble.</summary>
    public byte NextSrc { get; init; }

    /// <summary>For ld_imm64: the second slot's offset.</summary>
    public short NextOffset { get; init; }

    /// <summary>True for a 16-byte ld_imm64 whose second slot was present.</summary>
    public bool IsWide { get; init; }

    /// <summary>Number of 8-byte slots: 2 for a complete ld_imm64, 1 otherwise.</summary>
    public int Width => IsWide ? 2 : 1;

    /// <summary>The class bits (RFC 9669 §3.1).</summary>
    public byte Class => (byte)(Opcode & 0x07);

    /// <summary>The operation bits of an arithmetic or jump opcode (RFC 9669 §4).</summary>
    public byte Operation => (byte)(Opcode & 0xf0);

    /// <summary>True when an arithmetic or jump instruction takes its operand from src_reg (BPF_X).</summary>
    public bool UsesSrcReg => (Opcode & Opcodes.SourceX) != 0;

    /// <summary>Load/store mode bits (RFC 9669 §5).</summary>
    public byte Mode => (byte)(Opcode & 0xe0);

    /// <summary>Load/store size bits (RFC 9669 §5).</summary>
    public byte SizeBits => (byte)(Opcode & 0x18);

    /// <summary>Access size in bytes of a load, store or atomic.</summary>
    public int AccessSize => SizeBits switch
    {
        Opcodes.SizeW => 4,
        Opcodes.SizeH => 2,
        Opcodes.SizeB => 1,
        _ => 8,
    };

    /// <summary>The 64-bit constant of ld_imm64 (low imm, high NextImm).</summary>
    public long Imm64 => (uint)Imm | ((long)NextImm << 32);

    /// <summary>The semantic kind of this instruction; <see cref="InstructionKind.Invalid"/> for undefined encodings.</summary>
    public InstructionKind Kind => InstructionClassifier.Classify(this);

    /// <summary>True when the instruction transfers control to a pc-relative target inside the function.</summary>
    public bool IsJump => Kind.IsJump();

    /// <summary>
    /// The pc-relative distance of a jump in slots: <c>off</c>, or <c>imm</c> for <c>gotol</c>
    /// (RFC 9669 §4.3: the target is pc + distance + 1).
    /// </summary>
    public int JumpDistance => Kind == InstructionKind.GotoLong ? Imm : Offset;

    /// <summary>Builds a single-slot instruction.</summary>
    public static Instruction Create(byte opcode, byte dst, byte src, short offset, int imm) =>
        new() { Opcode = opcode, Dst = dst, Src = src, Offset = offset, Imm = imm };

    /// <summary>Builds a complete ld_imm64 (RFC 9669 §5.4).</summary>
    public static Instruction LoadImm64(byte dst, byte src, long value) => new()
    {
        Opcode = Opcodes.LdImm64,
        Dst = dst,
        Src = src,
        Imm = unchecked((int)value),
        NextImm = (int)(value >> 32),
        IsWide = true,
    };

    /// <summary><c>BPF_ALU64_IMM(op, dst, imm)</c> (include/linux/filter.h).</summary>
    public static Instruction Alu64Imm(byte op, byte dst, int imm) => Create((byte)(Opcodes.ClassAlu64 | op | Opcodes.SourceK), dst, 0, 0, imm);

    /// <summary><c>BPF_ALU64_REG(op, dst, src)</c> (include/linux/filter.h).</summary>
    public static Instruction Alu64Reg(byte op, byte dst, byte src) => Create((byte)(Opcodes.ClassAlu64 | op | Opcodes.SourceX), dst, src, 0, 0);

    /// <summary><c>BPF_LDX_MEM(size, dst, src, off)</c> (include/linux/filter.h).</summary>
    public static Instruction LoadMem(byte size, byte dst, byte src, short offset) => Create((byte)(Opcodes.ClassLdx | Opcodes.ModeMem | size), dst, src, offset, 0);

    /// <summary>Returns a copy with a new jump distance, in <c>off</c> or (for <c>gotol</c>) <c>imm</c>.</summary>
    public Instruction WithJumpDistance(int distance) =>
        Kind == InstructionKind.GotoLong ? this with { Imm = distance } : this with { Offset = checked((short)distance) };
}
