// SPDX-License-Identifier: MIT
namespace BpfFixup.Isa;

/// <summary>What an instruction does, as far as control flow and data flow care.</summary>
public enum InstructionKind : byte
{
    /// <summary>An opcode or field combination that RFC 9669 and Linux do not define.</summary>
    Invalid = 0,
    /// <summary>BPF_ALU: 32-bit arithmetic, including mov, neg and byte swaps (le/be).</summary>
    Alu32,
    /// <summary>BPF_ALU64: 64-bit arithmetic, including movsx, bswap and addr_space_cast.</summary>
    Alu64,
    /// <summary>BPF_LDX | BPF_MEM or BPF_MEMSX: register load.</summary>
    Load,
    /// <summary>BPF_ST | BPF_MEM: store of an immediate.</summary>
    StoreImm,
    /// <summary>BPF_STX | BPF_MEM: store of a register.</summary>
    StoreReg,
    /// <summary>BPF_STX | BPF_ATOMIC: atomic read-modify-write, xchg, cmpxchg, load-acquire, store-release.</summary>
    Atomic,
    /// <summary>BPF_LD | BPF_IMM | BPF_DW: 64-bit immediate load, two slots.</summary>
    LoadImm64,
    /// <summary>BPF_LD | BPF_ABS or BPF_IND: legacy packet access.</summary>
    LegacyPacketLoad,
    /// <summary>BPF_JMP/BPF_JMP32 conditional jump.</summary>
    ConditionalJump,
    /// <summary>BPF_JMP | BPF_JA: <c>goto +off</c>.</summary>
    Goto,
    /// <summary>BPF_JMP32 | BPF_JA: <c>gotol +imm</c>.</summary>
    GotoLong,
    /// <summary>BPF_JMP | BPF_JCOND with BPF_MAY_GOTO: <c>may_goto +off</c>.</summary>
    MayGoto,
    /// <summary>BPF_JMP | BPF_JA | BPF_X: <c>gotox rN</c> (indirect jump through a jump table).</summary>
    IndirectGoto,
    /// <summary>BPF_CALL with src 0: helper call by <c>bpf_func_id</c>.</summary>
    CallHelper,
    /// <summary>BPF_CALL with src BPF_PSEUDO_CALL: bpf-to-bpf call (or, before libbpf, an extern kfunc).</summary>
    CallLocal,
    /// <summary>BPF_CALL with src BPF_PSEUDO_KFUNC_CALL: kfunc call by BTF id.</summary>
    CallKfunc,
    /// <summary>BPF_CALL | BPF_X: <c>callx rN</c>.</summary>
    CallReg,
    /// <summary>BPF_EXIT.</summary>
    Exit,
}
