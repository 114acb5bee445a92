// SPDX-License-Identifier: MIT
using BpfFixup.Isa;
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>
/// A kernel ABI for the fsession fixup: the two shift constants of the trampoline's func_meta word at
/// <c>ctx[-1]</c> (written by the trampoline, arch/x86/net/bpf_jit_comp.c; read by fixup_kfunc_call) and the sequences built from them. The sequences are
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
        // BPF_TRAMP_COOKIE_INDEX_SHIFT 8, the constants fixup_kfunc_call shifts by.
        new("linux-7.0", 63, 8, "kernel/bpf/verifier.c fixup_kfunc_call (Linux 7.0, 'bpf: support fsession for bpf_session_{is_return,cookie}', 27d89baa/eeee4239)"),
        // v9 posting: BPF_TRAMP_M_IS_RETURN 8, BPF_TRAMP_M_COOKIE 9 (LKML 2601.1/07098).
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
    /// (fixup_kfunc_call, kernel/bpf/verifier.c).
    /// </summary>
    public InlineTemplate IsReturn => new(SessionKfunc.IsReturn,
    [
        Instruction.LoadMem(Opcodes.SizeDw, 0, 1, -8),                  // BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, -8)
        Instruction.Alu64Imm(Opcodes.Rsh, 0, IsReturnShift),            // BPF_ALU64_IMM(BPF_RSH, BPF_REG_0, BPF_TRAMP_IS_RETURN_SHIFT)
        Instruction.Alu64Imm(Opcodes.And, 0, 1),                        // BPF_ALU64_IMM(BPF_AND, BPF_REG_0, 1)
    ], Source);

    /// <summary>
    /// <c>bpf_session_cookie</c>: <c>r0 = *(u64 *)(r1 - 8); r0 &gt;&gt;= SHIFT; r0 &amp;= 0xff; r0 &lt;&lt;= 3; r0 -= r1; r0 = -r0</c>,
    /// 6 instructions: <c>&amp;((u64 *)ctx)[-idx]</c> (fixup_kfunc_call, kernel/bpf/verifier.c).
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

    /// <summary>get_func_arg after nr_args is in r0: check n &lt; nr_args, load ctx[n] into *value (both forms of do_misc_fixups).</summary>
    private static readonly Instruction[] GetFuncArgTail =
    [
        Instruction.Create(Opcodes.ClassJmp32 | Opcodes.Jge | Opcodes.SourceX, 2, 0, 6, 0),      // BPF_JMP32_REG(BPF_JGE, BPF_REG_2, BPF_REG_0, 6)
        Instruction.Alu64Imm(Opcodes.Lsh, 2, 3),                                                // BPF_ALU64_IMM(BPF_LSH, BPF_REG_2, 3)
        Instruction.Alu64Reg(Opcodes.Add, 2, 1),                                                // BPF_ALU64_REG(BPF_ADD, BPF_REG_2, BPF_REG_1)
        Instruction.LoadMem(Opcodes.SizeDw, 0, 2, 0),                                           // BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_2, 0)
        Instruction.Create(Opcodes.ClassStx | Opcodes.ModeMem | Opcodes.SizeDw, 3, 0, 0, 0),    // BPF_STX_MEM(BPF_DW, BPF_REG_3, BPF_REG_0, 0)
        Instruction.Alu64Imm(Opcodes.Mov, 0, 0),                                                // BPF_MOV64_IMM(BPF_REG_0, 0)
        Instruction.Create(Opcodes.ClassJmp | Opcodes.Ja, 0, 0, 1, 0),                          // BPF_JMP_A(1)
        Instruction.Alu64Imm(Opcodes.Mov, 0, -22),                                              // BPF_MOV64_IMM(BPF_REG_0, -EINVAL)
    ];

    /// <summary>
    /// The helper inlines of do_misc_fixups (kernel/bpf/verifier.c) for BPF_PROG_TYPE_TRACING programs, performed with
    /// <c>--kernel-inlines</c> (each sequence seen byte for byte in the xlated stream of Linux
    /// 7.2). The func_meta word <c>ctx[-1]</c> holds nr_args in bits 0-7 (masked since f1b56b3cbdb2); the traced
    /// function's IP is <c>ctx[-2]</c>. The BPF_TRACE_RAW_TP forms of get_func_arg and get_func_arg_cnt begin with
    /// <c>r0 = nr_args - 1</c>, nr_args being the vlen of <c>prog-&gt;aux-&gt;attach_func_proto</c>, the prototype of the
    /// tracepoint's <c>btf_trace_&lt;tp&gt;</c> typedef (bpf_check_attach_target), less its <c>void *__data</c>: their rows
    /// (<see cref="HelperInlineWhen.RawTp"/>) apply only when the kernel's BTF is given; without it those calls are kept.
    /// Encodings: RFC 9669 §4 (ALU, JMP32, LDX/STX MEM).
    /// </summary>
    public static IReadOnlyList<HelperInlineTemplate> TracingHelperInlines { get; } =
    [
        // BPF_FUNC_get_func_arg: 'Load nr_args from ctx - 8', check n < nr_args, load ctx[n] into *value.
        new(183, "bpf_get_func_arg", HelperInlineWhen.NotRawTp,
        [
            Instruction.LoadMem(Opcodes.SizeDw, 0, 1, -8),                                          // BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, -8)
            Instruction.Alu64Imm(Opcodes.And, 0, 0xff),                                             // BPF_ALU64_IMM(BPF_AND, BPF_REG_0, 0xFF)
            .. GetFuncArgTail,
        ], HelperSource),

        // BPF_FUNC_get_func_arg for BPF_TRACE_RAW_TP: r0 = nr_args - 1 (made concrete by ForTracepoint), then as above.
        new(183, "bpf_get_func_arg", HelperInlineWhen.RawTp,
        [
            Instruction.Alu64Imm(Opcodes.Mov, 0, 0),                                                // BPF_MOV64_IMM(BPF_REG_0, nr_args - 1)
            .. GetFuncArgTail,
        ], HelperSource),

        // BPF_FUNC_get_func_ret with a return value: 'Load nr_args from ctx - 8', load ctx[nr_args] into *value.
        new(184, "bpf_get_func_ret", HelperInlineWhen.WithReturnValue,
        [
            Instruction.LoadMem(Opcodes.SizeDw, 0, 1, -8),                                          // BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, -8)
            Instruction.Alu64Imm(Opcodes.And, 0, 0xff),                                             // BPF_ALU64_IMM(BPF_AND, BPF_REG_0, 0xFF)
            Instruction.Alu64Imm(Opcodes.Lsh, 0, 3),                                                // BPF_ALU64_IMM(BPF_LSH, BPF_REG_0, 3)
            Instruction.Alu64Reg(Opcodes.Add, 0, 1),                                                // BPF_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_1)
            Instruction.LoadMem(Opcodes.SizeDw, 3, 0, 0),                                           // BPF_LDX_MEM(BPF_DW, BPF_REG_3, BPF_REG_0, 0)
            Instruction.Create(Opcodes.ClassStx | Opcodes.ModeMem | Opcodes.SizeDw, 2, 3, 0, 0),    // BPF_STX_MEM(BPF_DW, BPF_REG_2, BPF_REG_3, 0)
            Instruction.Alu64Imm(Opcodes.Mov, 0, 0),                                                // BPF_MOV64_IMM(BPF_REG_0, 0)
        ], HelperSource),

        // BPF_FUNC_get_func_ret without one (fentry, fentry.multi, tp_btf, ...).
        new(184, "bpf_get_func_ret", HelperInlineWhen.WithoutReturnValue,
        [
            Instruction.Alu64Imm(Opcodes.Mov, 0, -95),                                              // BPF_MOV64_IMM(BPF_REG_0, -EOPNOTSUPP)
        ], HelperSource),

        // BPF_FUNC_get_func_arg_cnt: 'Load nr_args from ctx - 8'.
        new(185, "bpf_get_func_arg_cnt", HelperInlineWhen.NotRawTp,
        [
            Instruction.LoadMem(Opcodes.SizeDw, 0, 1, -8),                                          // BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, -8)
            Instruction.Alu64Imm(Opcodes.And, 0, 0xff),                                             // BPF_ALU64_IMM(BPF_AND, BPF_REG_0, 0xFF)
        ], HelperSource),

        // BPF_FUNC_get_func_arg_cnt for BPF_TRACE_RAW_TP: r0 = nr_args - 1 (made concrete by ForTracepoint).
        new(185, "bpf_get_func_arg_cnt", HelperInlineWhen.RawTp,
        [
            Instruction.Alu64Imm(Opcodes.Mov, 0, 0),                                                // BPF_MOV64_IMM(BPF_REG_0, nr_args - 1)
        ], HelperSource),

        // BPF_FUNC_get_func_ip: 'Load IP address from ctx - 16'.
        new(173, "bpf_get_func_ip", HelperInlineWhen.Always,
        [
            Instruction.LoadMem(Opcodes.SizeDw, 0, 1, -16),                                         // BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, -16)
        ], HelperSource),
    ];

    /// <summary>The tracing helper inline for helper <paramref name="helperId"/> in a program of <paramref name="attach"/>, or null.</summary>
    public static HelperInlineTemplate? TracingHelperInline(int helperId, AttachType? attach) => TracingHelperInline(helperId, attach, null);

    /// <summary>
    /// The tracing helper inline for helper <paramref name="helperId"/> in a program of <paramref name="attach"/>, or
    /// null; a tp_btf form only when <paramref name="tracepointArgs"/> (the tracepoint's arguments in the kernel's
    /// BTF, <see cref="Btf.KernelBtf.RawTracepointArgs"/>) is known.
    /// </summary>
    public static HelperInlineTemplate? TracingHelperInline(int helperId, AttachType? attach, int? tracepointArgs) =>
        TracingHelperInlines.FirstOrDefault(t => t.HelperId == helperId && t.AppliesTo(attach)) is not { } t ? null
            : t.When != HelperInlineWhen.RawTp ? t
            : tracepointArgs is int n ? t.ForTracepoint(n) : null;

    private const string HelperSource = "kernel/bpf/verifier.c do_misc_fixups, prog_type == BPF_PROG_TYPE_TRACING (Linux 7.2)";

    /// <summary>The template for <paramref name="kfunc"/>.</summary>
    public InlineTemplate TemplateFor(SessionKfunc kfunc) => kfunc == SessionKfunc.Cookie ? Cookie : IsReturn;
}
