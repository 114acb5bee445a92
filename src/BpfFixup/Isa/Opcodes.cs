// SPDX-License-Identifier: MIT
namespace BpfFixup.Isa;

/// <summary>
/// Opcode field constants of RFC 9669 §3 ("Instruction encoding") and the Linux UAPI
/// (include/uapi/linux/bpf_common.h, include/uapi/linux/bpf.h).
/// </summary>
public static class Opcodes
{
    // RFC 9669 §3.1 instruction classes (low 3 bits).
    public const byte ClassLd = 0x00;
    public const byte ClassLdx = 0x01;
    public const byte ClassSt = 0x02;
    public const byte ClassStx = 0x03;
    public const byte ClassAlu = 0x04;
    public const byte ClassJmp = 0x05;
    public const byte ClassJmp32 = 0x06;
    public const byte ClassAlu64 = 0x07;

    // RFC 9669 §4 source bit for arithmetic and jump instructions.
    public const byte SourceK = 0x00;
    public const byte SourceX = 0x08;

    // RFC 9669 §4.1 arithmetic operations (high 4 bits).
    public const byte Add = 0x00;
    public const byte Sub = 0x10;
    public const byte Mul = 0x20;
    public const byte Div = 0x30;
    public const byte Or = 0x40;
    public const byte And = 0x50;
    public const byte Lsh = 0x60;
    public const byte Rsh = 0x70;
    public const byte Neg = 0x80;
    public const byte Mod = 0x90;
    public const byte Xor = 0xa0;
    public const byte Mov = 0xb0;
    public const byte Arsh = 0xc0;
    public const byte End = 0xd0;

    // RFC 9669 §4.3 jump operations (high 4 bits).
    public const byte Ja = 0x00;
    public const byte Jeq = 0x10;
    public const byte Jgt = 0x20;
    public const byte Jge = 0x30;
    public const byte Jset = 0x40;
    public const byte Jne = 0x50;
    public const byte Jsgt = 0x60;
    public const byte Jsge = 0x70;
    public const byte Call = 0x80;
    public const byte Exit = 0x90;
    public const byte Jlt = 0xa0;
    public const byte Jle = 0xb0;
    public const byte Jslt = 0xc0;
    public const byte Jsle = 0xd0;
    /// <summary>BPF_JCOND (Linux): <c>may_goto</c> with src_reg BPF_MAY_GOTO (0).</summary>
    public const byte Jcond = 0xe0;

    // RFC 9669 §5 load/store modes (high 3 bits) and sizes (bits 3-4).
    public const byte ModeImm = 0x00;
    public const byte ModeAbs = 0x20;
    public const byte ModeInd = 0x40;
    public const byte ModeMem = 0x60;
    public const byte ModeMemSx = 0x80;
    public const byte ModeAtomic = 0xc0;
    public const byte SizeW = 0x00;
    public const byte SizeH = 0x08;
    public const byte SizeB = 0x10;
    public const byte SizeDw = 0x18;

    // RFC 9669 §5.3 atomic operations (imm field) and Linux load-acquire/store-release.
    public const int AtomicFetch = 0x01;
    public const int AtomicXchg = 0xe0 | AtomicFetch;
    public const int AtomicCmpXchg = 0xf0 | AtomicFetch;
    /// <summary>BPF_LOAD_ACQ (Linux 6.15, include/uapi/linux/bpf.h).</summary>
    public const int AtomicLoadAcquire = 0x100;
    /// <summary>BPF_STORE_REL (Linux 6.15, include/uapi/linux/bpf.h).</summary>
    public const int AtomicStoreRelease = 0x110;

    // Well-known whole opcodes.
    public const byte LdImm64 = ClassLd | ModeImm | SizeDw; // 0x18, RFC 9669 §5.4
    public const byte CallOp = ClassJmp | Call; // 0x85
    public const byte CallXOp = ClassJmp | Call | SourceX; // 0x8d
    public const byte ExitOp = ClassJmp | Exit; // 0x95

    /// <summary>The class bits of an opcode.</summary>
    public static byte ClassOf(byte opcode) => (byte)(opcode & 0x07);
}
