// SPDX-License-Identifier: MIT
using BpfFixup.Isa;
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>
/// A kernel ABI for the fsession fixup: the two shift constants of the trampoline's func_meta word at
/// <c>ctx[-1]</c> (kernel-fsession §1.5, §1.6, §4.2) and the sequences built from them. The sequences are
/// data: <see cref="Table"/> holds one row per ABI.
/// </summary>
/// <param name="Name">ABI name, e.g. <c>linux-7.0</c>.</param>
/// <param name="IsReturnShift">BPF_TRAMP_IS_RETURN_SHIFT.</param>
/// <param name="CookieIndexShift">BPF_TRAMP_COOKIE_INDEX_SHIFT.</param>
/// <param name="Source">Where the constants and sequences come from.</param>
public sealed record KernelAbi(string Name, int IsReturnShift, int CookieIndexShift, string Source)
{
    /// <summary>The default ABI.</summary>
    public const string DefaultName = "linux-7.0";

    /// <summary>Known ABIs.</summary>
    public static IReadOnlyList<KernelAbi> Table { get; } =
    [
        // Merged series (v13), bpf-next 000eb74a kernel/bpf/verifier.c fixup_kfunc_call; BPF_TRAMP_IS_RETURN_SHIFT 63,
        // BPF_TRAMP_COOKIE_INDEX_SHIFT 8 (kernel-fsession §1.3-§1.5).
        new("linux-7.0", 63, 8, "kernel/bpf/verifier.c fixup_kfunc_call (Linux 7.0, 'bpf: support fsession for bpf_session_{is_return,cookie}', 27d89baa/eeee4239)"),
        // v9 posting: BPF_TRAMP_M_IS_RETURN 8, BPF_TRAMP_M_COOKIE 9 (kernel-fsession §1.5, §1.6; LKML 2601.1/07098).
        new("patch-v9", 8, 9, "fsession series v9 05/11 (BPF_TRAMP_M_IS_RETURN 8, BPF_TRAMP_M_COOKIE 9)"),
    ];

    /// <summary>The ABI called <paramref name="name"/>, or null.</summary>
    public static KernelAbi? Find(string name) => Table.FirstOrDefault(a => a.Name == name);

    /// <summary>The default ABI.</summary>
    public static KernelAbi Default => Find(DefaultName)!;

    /// <summary>This ABI with shift overrides (<c>--is-return-shift</c>, <c>--cookie-index-shift</c>).</summary>
    public KernelAbi WithOverrides(int? isReturnShift, int? cookieIndexShift)
    {
        if (isReturnShift is null && cookieIndexShift is null)
        {
            return this;
        }

        var a = this with { IsReturnShift = isReturnShift ?? IsReturnShift, CookieIndexShift = cookieIndexShift ?? CookieIndexShift };
        return a with { Name = $"{Name}+is_return_shift={a.IsReturnShift},cookie_index_shift={a.CookieIndexShift}" };
    }

    /// <summary>
    /// <c>bpf_session_is_return</c>: <c>r0 = *(u64 *)(r1 - 8); r0 &gt;&gt;= SHIFT; r0 &amp;= 1</c>, 3 instructions
    /// (kernel-fsession §1.3).
    /// </summary>
    public InlineTemplate IsReturn => new(SessionKfunc.IsReturn,
    [
        Instruction.LoadMem(Opcodes.SizeDw, 0, 1, -8),                  // BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, -8)
        Instruction.Alu64Imm(Opcodes.Rsh, 0, IsReturnShift),            // BPF_ALU64_IMM(BPF_RSH, BPF_REG_0, BPF_TRAMP_IS_RETURN_SHIFT)
        Instruction.Alu64Imm(Opcodes.And, 0, 1),                        // BPF_ALU64_IMM(BPF_AND, BPF_REG_0, 1)
    ], Source);

    /// <summary>
    /// <c>bpf_session_cookie</c>: <c>r0 = *(u64 *)(r1 - 8); r0 &gt;&gt;= SHIFT; r0 &amp;= 0xff; r0 &lt;&lt;= 3; r0 -= r1; r0 = -r0</c>,
    /// 6 instructions: <c>&amp;((u64 *)ctx)[-idx]</c> (kernel-fsession §1.4).
    /// </summary>
    public InlineTemplate Cookie => new(SessionKfunc.Cookie,
    [
        Instruction.LoadMem(Opcodes.SizeDw, 0, 1, -8),                  // BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, -8)
        Instruction.Alu64Imm(Opcodes.Rsh, 0, CookieIndexShift),         // BPF_ALU64_IMM(BPF_RSH, BPF_REG_0, BPF_TRAMP_COOKIE_INDEX_SHIFT)
        Instruction.Alu64Imm(Opcodes.And, 0, 0xff),                     // BPF_ALU64_IMM(BPF_AND, BPF_REG_0, 0xFF)
        Instruction.Alu64Imm(Opcodes.Lsh, 0, 3),                        // BPF_ALU64_IMM(BPF_LSH, BPF_REG_0, 3)
        Instruction.Alu64Reg(Opcodes.Sub, 0, 1),                        // BPF_ALU64_REG(BPF_SUB, BPF_REG_0, BPF_REG_1)
        Instruction.Alu64Imm(Opcodes.Neg, 0, 0),                        // BPF_ALU64_IMM(BPF_NEG, BPF_REG_0, 0)
    ], Source);

    /// <summary>The template for <paramref name="kfunc"/>.</summary>
    public InlineTemplate TemplateFor(SessionKfunc kfunc) => kfunc == SessionKfunc.Cookie ? Cookie : IsReturn;
}
