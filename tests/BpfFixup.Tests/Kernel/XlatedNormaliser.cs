// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Model;
using BpfFixup.Rendering;

namespace BpfFixup.Tests.Kernel;

/// <summary>
/// The kernel's rewrites, besides the session inlines, between the program libbpf loads and the xlated stream
/// (seen by this tier). The normaliser undoes exactly these; each names the kernel (or libbpf) function doing it.
/// </summary>
public enum KernelRewrite
{
    /// <summary>No rewrite: the kernel's bytes equal the patched object's.</summary>
    None,

    /// <summary>Jump offsets re-targeted around every patch and removal: bpf_patch_insn_data → bpf_adj_branches, and opt_remove_dead_code's bpf_adj_branches.</summary>
    JumpRetargeted,

    /// <summary>bpf-to-bpf call: jit_subprogs stores the relative target in off and the subprogram index in imm.</summary>
    SubprogCallEncoded,

    /// <summary>Callback ld_imm64 (BPF_PSEUDO_FUNC): jit_subprogs writes the JITed function's address into both halves.</summary>
    CallbackAddress,

    /// <summary>Kept kfunc call: fixup_kfunc_call (set_kfunc_desc_imm) makes imm the address offset; src stays BPF_PSEUDO_KFUNC_CALL.</summary>
    KfuncAddress,

    /// <summary>Helper call: do_misc_fixups sets imm to <c>fn - __bpf_call_base</c> (for maps, the map's own function).</summary>
    HelperAddress,

    /// <summary>Map ld_imm64: resolve_pseudo_ldimm64 binds the map; bpf_insn_prepare_dump shows its id in imm (the value offset is kept).</summary>
    MapId,

    /// <summary>Extern kernel symbol ld_imm64 (BPF_PSEUDO_BTF_ID): check_pseudo_btf_id loads its address, src 0.</summary>
    KsymAddress,

    /// <summary>CO-RE relocation: libbpf's bpf_core_patch_insn rewrites the offset or immediate against the kernel's BTF (libbpf, not the kernel).</summary>
    CoreRelocation,

    /// <summary>Helper inlined by do_misc_fixups: bpf_get_func_arg (10), bpf_get_func_ret (7 or 1), bpf_get_func_arg_cnt (2), bpf_get_func_ip (1) for tracing programs (do_misc_fixups, kernel/bpf/verifier.c); bpf_get_smp_processor_id (3); bpf_map_lookup_elem through map_gen_lookup (array_map_gen_lookup 7, percpu_array_map_gen_lookup 9, htab_map_gen_lookup: call + 2).</summary>
    HelperInlined,

    /// <summary>bpf_loop inlined: optimize_bpf_loop → inline_bpf_loop (19 instructions).</summary>
    LoopInlined,

    /// <summary>Context access converted to the kernel structure's layout: convert_ctx_accesses (xdp_convert_ctx_access, bpf_convert_ctx_access; xdp and tc only).</summary>
    CtxAccessConverted,

    /// <summary>A conditional jump with one dead branch becomes <c>goto</c>: opt_hard_wire_dead_code_branches.</summary>
    DeadBranchHardWired,

    /// <summary>Instructions the verifier never reached are removed: opt_remove_dead_code; <c>goto +0</c> removed by opt_remove_nops.</summary>
    DeadCodeRemoved,
}

/// <summary>One step of the alignment: linked instruction <paramref name="Linked"/> became kernel instructions [<paramref name="KernelStart"/>, +<paramref name="KernelCount"/>).</summary>
public sealed record AlignmentStep(int Linked, int KernelStart, int KernelCount, KernelRewrite Rewrite);

/// <summary>The outcome of <see cref="XlatedNormaliser.Compare"/>.</summary>
/// <param name="Steps">One step per linked instruction, in order (empty when no alignment exists).</param>
/// <param name="Problems">What does not agree; empty when the streams are equal after normalisation.</param>
/// <param name="Listing">Both streams side by side, for messages.</param>
public sealed record XlatedComparison(IReadOnlyList<AlignmentStep> Steps, IReadOnlyList<string> Problems, string Listing)
{
    /// <summary>How often each rewrite was undone.</summary>
    public IReadOnlyDictionary<KernelRewrite, int> RewriteCounts =>
        Steps.GroupBy(s => s.Rewrite).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());
}

/// <summary>
/// Compares the xlated stream of an accepted program with the patched program as libbpf loads it
/// (<see cref="LinkedProgram"/>). It finds the alignment that removes the fewest linked instructions, where every
/// kernel instruction is explained either by the linked instruction it equals, or by one of the
/// <see cref="KernelRewrite"/> kinds applied to it; then checks that every jump and call still reaches the
/// instruction it reached in the patched program.
/// </summary>
public static class XlatedNormaliser
{
    private const int Impossible = int.MaxValue / 2;

    // do_misc_fixups in kernel/bpf/verifier.c, prog_type == BPF_PROG_TYPE_TRACING.
    private static readonly Instruction[] GetFuncArg =
    [
        I(0x79, 0, 1, -8, 0), I(0x57, 0, 0, 0, 0xff), I(0x3e, 2, 0, 6, 0), I(0x67, 2, 0, 0, 3), I(0x0f, 2, 1, 0, 0),
        I(0x79, 0, 2, 0, 0), I(0x7b, 3, 0, 0, 0), I(0xb7, 0, 0, 0, 0), I(0x05, 0, 0, 1, 0), I(0xb7, 0, 0, 0, -22),
    ];

    private static readonly Instruction[] GetFuncRet =
    [
        I(0x79, 0, 1, -8, 0), I(0x57, 0, 0, 0, 0xff), I(0x67, 0, 0, 0, 3), I(0x0f, 0, 1, 0, 0), I(0x79, 3, 0, 0, 0),
        I(0x7b, 2, 3, 0, 0), I(0xb7, 0, 0, 0, 0),
    ];

    private static readonly Instruction[] GetFuncRetUnsupported = [I(0xb7, 0, 0, 0, -95)];
    private static readonly Instruction[] GetFuncArgCnt = [I(0x79, 0, 1, -8, 0), I(0x57, 0, 0, 0, 0xff)];
    private static readonly Instruction[] GetFuncIp = [I(0x79, 0, 1, -16, 0)];

    /// <summary>Aligns <paramref name="kernel"/> (xlated bytes, little-endian) with <paramref name="linked"/>.</summary>
    /// <param name="linked">The patched program as libbpf loads it.</param>
    /// <param name="kernel">The kernel's xlated bytes.</param>
    /// <param name="tracingHelperInlines">
    /// Undo the tracing helper inlines of do_misc_fixups (bpf_get_func_arg, _ret, _arg_cnt, _ip). Off for a program
    /// patched with <c>--kernel-inlines</c>, which must already hold them; the other normalisations stay.
    /// </param>
    /// <param name="rawTpHelperInlines">
    /// Undo the tp_btf forms of get_func_arg and get_func_arg_cnt (<c>r0 = nr_args - 1</c>, the tracepoint's arguments
    /// from the kernel's BTF); by default as <paramref name="tracingHelperInlines"/>. On for a program patched with
    /// <c>--kernel-inlines</c> alone, which keeps those calls: only <c>--kernel-btf</c> knows the tracepoint.
    /// </param>
    public static XlatedComparison Compare(LinkedProgram linked, byte[] kernel, bool tracingHelperInlines = true, bool? rawTpHelperInlines = null)
    {
        bool rawTp = rawTpHelperInlines ?? tracingHelperInlines;
        var stream = InstructionDecoder.DecodeAll(kernel, ByteOrder.Little);
        var k = stream.Instructions;
        var kSlots = stream.Slots.Append(stream.SlotCount).ToArray();
        var e = linked.Instructions;
        int n = e.Count, m = k.Length;

        // cost[i, j]: fewest linked instructions removed to explain e[i..] by k[j..].
        var cost = new int[n + 1, m + 1];
        var choice = new (int Count, KernelRewrite Rewrite)[n + 1, m + 1];
        for (int j = 0; j <= m; j++)
        {
            cost[n, j] = j == m ? 0 : Impossible;
        }

        for (int i = n - 1; i >= 0; i--)
        {
            for (int j = m; j >= 0; j--)
            {
                int best = cost[i + 1, j] + 1;
                var pick = (0, KernelRewrite.DeadCodeRemoved);
                foreach (var (count, rewrite) in Candidates(linked, e[i], k, j, tracingHelperInlines, rawTp))
                {
                    if (cost[i + 1, j + count] < best)
                    {
                        best = cost[i + 1, j + count];
                        pick = (count, rewrite);
                    }
                }

                cost[i, j] = Math.Min(best, Impossible);
                choice[i, j] = pick;
            }
        }

        var problems = new List<string>();
        var steps = new List<AlignmentStep>();
        if (cost[0, 0] >= Impossible)
        {
            problems.Add($"no alignment explains the kernel's {m} instructions by the patched program's {n}; {FirstMismatch(linked, e, k, kSlots, tracingHelperInlines, rawTp)}");
        }
        else
        {
            for (int i = 0, j = 0; i < n; i++)
            {
                var (count, rewrite) = choice[i, j];
                steps.Add(new AlignmentStep(i, j, count, rewrite));
                j += count;
            }

            CheckTargets(e, steps, k, kSlots, problems);
            CheckRemovals(e, steps, problems);
        }

        return new XlatedComparison(steps, problems, Listing(e, steps, k, kSlots));
    }

    /// <summary>Where a walk that takes the first explanation of each instruction gets stuck: a hint for the message.</summary>
    private static string FirstMismatch(LinkedProgram linked, IReadOnlyList<LinkedInsn> e, Instruction[] k, int[] kSlots, bool tracingHelperInlines, bool rawTp)
    {
        int i = 0, j = 0;
        while (i < e.Count && j < k.Length)
        {
            var next = Candidates(linked, e[i], k, j, tracingHelperInlines, rawTp).Select(c => c.Count).DefaultIfEmpty(0).First();
            if (next == 0)
            {
                return $"the first instruction without an explanation: {e[i].Where} '{LlvmInstructionFormatter.Format(e[i].Insn)}' against kernel slot {kSlots[j]} '{LlvmInstructionFormatter.Format(k[j])}' (instructions before it may be dead code the kernel removed)";
            }

            i++;
            j += next;
        }

        return i < e.Count ? $"the kernel's stream ends before {e[i].Where}" : $"the kernel has {k.Length - j} more instructions from slot {kSlots[j]}";
    }

    /// <summary>The ways <paramref name="x"/> can explain kernel instructions from <paramref name="j"/>: (count, rewrite).</summary>
    private static IEnumerable<(int Count, KernelRewrite Rewrite)> Candidates(LinkedProgram program, LinkedInsn x, Instruction[] k, int j, bool tracingHelperInlines, bool rawTp)
    {
        if (j >= k.Length)
        {
            yield break;
        }

        var a = x.Insn;
        var b = k[j];
        switch (x.Kind)
        {
            case LinkedKind.Exact:
                if (a == b)
                {
                    yield return (1, KernelRewrite.None);
                }

                break;
            case LinkedKind.Jump:
                if (a == b)
                {
                    yield return (1, KernelRewrite.None);
                }
                else if (a with { Offset = 0, Imm = a.Kind == InstructionKind.GotoLong ? 0 : a.Imm } == b with { Offset = 0, Imm = b.Kind == InstructionKind.GotoLong ? 0 : b.Imm })
                {
                    yield return (1, KernelRewrite.JumpRetargeted);
                }
                else if (a.Kind == InstructionKind.ConditionalJump && b.Kind is InstructionKind.Goto)
                {
                    yield return (1, KernelRewrite.DeadBranchHardWired);
                }

                break;
            case LinkedKind.PseudoCall:
                if (b.Opcode == a.Opcode && b.Src == 1 && b.Dst == 0)
                {
                    yield return (1, KernelRewrite.SubprogCallEncoded);
                }

                break;
            case LinkedKind.PseudoFunc:
                if (b.Opcode == Opcodes.LdImm64 && b.Src == 4 && b.Dst == a.Dst)
                {
                    yield return (1, KernelRewrite.CallbackAddress);
                }

                break;
            case LinkedKind.KfuncCall:
                if (b.Opcode == a.Opcode && b.Src == 2 && b.Dst == 0 && b.Offset == 0)
                {
                    yield return (1, KernelRewrite.KfuncAddress);
                }

                break;
            case LinkedKind.HelperCall:
                if (b.Opcode == a.Opcode && b.Src == 0 && b.Dst == 0 && b.Offset == 0)
                {
                    yield return (1, a.Imm == b.Imm ? KernelRewrite.None : KernelRewrite.HelperAddress);
                }

                foreach (int count in HelperInlines(program, HelperIds.NameOf(a.Imm), k, j, tracingHelperInlines, rawTp))
                {
                    yield return (count, HelperIds.NameOf(a.Imm) == "bpf_loop" ? KernelRewrite.LoopInlined : KernelRewrite.HelperInlined);
                }

                break;
            case LinkedKind.MapFd:
                if (b.Opcode == Opcodes.LdImm64 && b.Src == 1 && b.Dst == a.Dst && b.Offset == 0 && b.NextImm == 0)
                {
                    yield return (1, KernelRewrite.MapId);
                }

                break;
            case LinkedKind.MapValue:
                if (b.Opcode == Opcodes.LdImm64 && b.Src == 2 && b.Dst == a.Dst && b.Offset == 0 && b.NextImm == a.NextImm)
                {
                    yield return (1, KernelRewrite.MapId);
                }

                break;
            case LinkedKind.KsymAddress:
                if (b.Opcode == Opcodes.LdImm64 && b.Src == 0 && b.Dst == a.Dst)
                {
                    yield return (1, KernelRewrite.KsymAddress);
                }

                break;
            case LinkedKind.CoreRelocated:
                if (a == b)
                {
                    yield return (1, KernelRewrite.None);
                }
                else if (b.Opcode == a.Opcode && b.Dst == a.Dst && b.Src == a.Src)
                {
                    yield return (1, KernelRewrite.CoreRelocation);
                }

                break;
        }

        // convert_ctx_accesses rewrites context loads and stores only in the program types that have a
        // convert_ctx_access callback with a layout of their own (convert_ctx_accesses in kernel/bpf/verifier.c: xdp and tc, not tracing).
        if (program.ProgramType is ProgramType.Xdp or ProgramType.SchedCls && x.Kind == LinkedKind.Exact && x.CtxBase)
        {
            for (int count = 1; count <= 4 && j + count <= k.Length; count++)
            {
                var last = k[j + count - 1];
                bool memory = k.Skip(j).Take(count).All(q => q.Kind is InstructionKind.Load or InstructionKind.StoreReg or InstructionKind.StoreImm or InstructionKind.Alu64 or InstructionKind.Alu32);
                bool sameEffect = a.Kind == InstructionKind.Load ? last.Kind == InstructionKind.Load && last.Dst == a.Dst : last.Kind == a.Kind;
                if (memory && sameEffect && !(count == 1 && last == a))
                {
                    yield return (count, KernelRewrite.CtxAccessConverted);
                }
            }
        }
    }

    /// <summary>The lengths of the inline sequences do_misc_fixups (or inline_bpf_loop) may put at <paramref name="j"/> for helper <paramref name="name"/>.</summary>
    private static IEnumerable<int> HelperInlines(LinkedProgram program, string? name, Instruction[] k, int j, bool tracingHelperInlines, bool rawTp)
    {
        bool tracing = tracingHelperInlines && program.ProgramType == ProgramType.Tracing;
        // do_misc_fixups for BPF_TRACE_RAW_TP: r0 = nr_args - 1 (of the tracepoint's prototype) instead of the ctx[-1] load.
        bool rawTpForm = rawTp && program.ProgramType == ProgramType.Tracing && program.AttachType == AttachType.TraceRawTp
            && j < k.Length && k[j] is { Opcode: 0xb7, Dst: 0, Src: 0, Offset: 0 };
        // Linux 7.2 inlines the 7-instruction form for the .multi forms of fexit and fsession too (seen in its xlated stream).
        bool withReturn = program.AttachType is AttachType.TraceFexit or AttachType.TraceFsession or AttachType.ModifyReturn
            or AttachType.TraceFexitMulti or AttachType.TraceFsessionMulti;
        switch (name)
        {
            case "bpf_get_func_arg" when rawTpForm && Equal(k, j + 1, GetFuncArg[2..]):
                yield return GetFuncArg.Length - 1;
                break;
            case "bpf_get_func_arg" when tracing && Equal(k, j, GetFuncArg):
                yield return GetFuncArg.Length;
                break;
            case "bpf_get_func_ret" when tracing && Equal(k, j, withReturn ? GetFuncRet : GetFuncRetUnsupported):
                yield return withReturn ? GetFuncRet.Length : 1;
                break;
            case "bpf_get_func_arg_cnt" when rawTpForm:
                yield return 1;
                break;
            case "bpf_get_func_arg_cnt" when tracing && Equal(k, j, GetFuncArgCnt):
                yield return GetFuncArgCnt.Length;
                break;
            case "bpf_get_func_ip" when tracing && Equal(k, j, GetFuncIp):
                yield return GetFuncIp.Length;
                break;
            case "bpf_get_smp_processor_id" when j + 3 <= k.Length && k[j + 2] == I(0x61, 0, 0, 0, 0):
                yield return 3;
                break;
            case "bpf_map_lookup_elem":
                // htab_map_gen_lookup: call __htab_map_lookup_elem; if r0 == 0 goto +1; r0 += value offset.
                if (j + 3 <= k.Length && k[j].Opcode == 0x85 && k[j].Src == 0 && k[j + 1] == I(0x15, 0, 0, 1, 0) && k[j + 2] is { Opcode: 0x07, Dst: 0 })
                {
                    yield return 3;
                }

                // array_map_gen_lookup / percpu_array_map_gen_lookup: r1 += offsetof(value or pptrs) ... r0 = 0.
                foreach (int count in new[] { 7, 8, 9, 10 })
                {
                    if (j + count <= k.Length && k[j] is { Opcode: 0x07, Dst: 1 } && k[j + count - 1] == I(0xb7, 0, 0, 0, 0))
                    {
                        yield return count;
                    }
                }

                break;
            case "bpf_loop":
                // inline_bpf_loop: 19 instructions that call the callback (a bpf-to-bpf call) in a counted loop.
                if (j + 19 <= k.Length && k.Skip(j).Take(19).Any(q => q.Opcode == 0x85 && q.Src == 1))
                {
                    yield return 19;
                }

                break;
        }
    }

    private static void CheckTargets(IReadOnlyList<LinkedInsn> e, List<AlignmentStep> steps, Instruction[] k, int[] kSlots, List<string> problems)
    {
        var bySlot = new Dictionary<int, int>();
        for (int i = 0; i < e.Count; i++)
        {
            bySlot[e[i].Slot] = i;
        }

        // The kernel slot where linked slot <paramref name="slot"/> went: its own instructions, or the next survivor's.
        int Survivor(int slot)
        {
            if (!bySlot.TryGetValue(slot, out int i))
            {
                return -1;
            }

            for (; i < steps.Count; i++)
            {
                if (steps[i].KernelCount > 0)
                {
                    return kSlots[steps[i].KernelStart];
                }
            }

            return kSlots[^1];
        }

        foreach (var step in steps)
        {
            var x = e[step.Linked];
            if (step.KernelCount != 1 || x.TargetSlot < 0)
            {
                continue;
            }

            var b = k[step.KernelStart];
            int from = kSlots[step.KernelStart];
            switch (step.Rewrite)
            {
                case KernelRewrite.None or KernelRewrite.JumpRetargeted when x.Kind == LinkedKind.Jump:
                    Expect(from + 1 + b.JumpDistance, Survivor(x.TargetSlot), x, "jump");
                    Live(x.TargetSlot, x, "jump");
                    break;
                case KernelRewrite.DeadBranchHardWired:
                    int to = from + 1 + b.JumpDistance;
                    if (to != Survivor(x.TargetSlot) && to != Survivor(x.Slot + 1))
                    {
                        problems.Add($"{x.Where}: hard-wired goto reaches kernel slot {to}, neither the branch target ({Survivor(x.TargetSlot)}) nor the fall-through ({Survivor(x.Slot + 1)})");
                    }

                    break;
                case KernelRewrite.SubprogCallEncoded:
                    // jit_subprogs: off = the call's relative target (insn_aux_data[i].call_imm), imm = subprogram index.
                    Expect(from + 1 + b.Offset, Survivor(x.TargetSlot), x, "call");
                    Live(x.TargetSlot, x, "call");
                    break;
            }
        }

        // A jump the kernel kept leads to live code: its target may be gone only as a removed branch or goto +0.
        void Live(int slot, LinkedInsn x, string what)
        {
            if (bySlot.TryGetValue(slot, out int t) && steps[t].KernelCount == 0
                && e[t].Insn.Kind != InstructionKind.ConditionalJump && !(e[t].Insn.Kind == InstructionKind.Goto && e[t].Insn.Offset == 0))
            {
                problems.Add($"{x.Where}: the {what} the kernel kept leads to {e[t].Where}, which the kernel removed as dead code");
            }
        }

        void Expect(int actual, int expected, LinkedInsn x, string what)
        {
            if (actual != expected)
            {
                problems.Add($"{x.Where}: the kernel's {what} reaches slot {actual}, the patched program's reaches the instruction now at slot {expected}");
            }
        }
    }

    /// <summary>
    /// opt_remove_dead_code removes only what the verifier never reached: every run of removed instructions must
    /// follow an instruction that does not fall through (exit, goto, a branch opt_hard_wire_dead_code_branches made a
    /// goto), or start with the branch whose dead side it is (a conditional jump hard-wired to <c>goto +0</c> and
    /// then removed by opt_remove_nops) or with a <c>goto +0</c>.
    /// </summary>
    private static void CheckRemovals(IReadOnlyList<LinkedInsn> e, List<AlignmentStep> steps, List<string> problems)
    {
        for (int a = 0; a < steps.Count; a++)
        {
            if (steps[a].KernelCount != 0 || (a > 0 && steps[a - 1].KernelCount == 0))
            {
                continue;
            }

            var first = e[a].Insn;
            bool startsWithBranch = first.Kind == InstructionKind.ConditionalJump || (first.Kind == InstructionKind.Goto && first.Offset == 0);
            bool afterTransfer = a > 0 && (e[a - 1].Insn.Kind is InstructionKind.Exit or InstructionKind.Goto or InstructionKind.GotoLong
                || steps[a - 1].Rewrite == KernelRewrite.DeadBranchHardWired);
            if (!startsWithBranch && !afterTransfer)
            {
                problems.Add($"{e[a].Where}: the kernel lacks this instruction, but the instruction before it falls through to it, so it was not dead code");
            }
        }
    }

    private static string Listing(IReadOnlyList<LinkedInsn> e, List<AlignmentStep> steps, Instruction[] k, int[] kSlots)
    {
        var sb = new StringBuilder();
        if (steps.Count == 0)
        {
            sb.AppendLine("patched program (libbpf layout):");
            foreach (var x in e)
            {
                sb.Append("  ").Append(x.Slot.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(4)).Append(": ").Append(Hex(x.Insn)).Append("  ").Append(LlvmInstructionFormatter.Format(x.Insn)).Append("  [").Append(x.Kind).Append("] ").AppendLine(x.Where);
            }

            sb.AppendLine("kernel xlated:");
            for (int j = 0; j < k.Length; j++)
            {
                sb.Append("  ").Append(kSlots[j].ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(4)).Append(": ").Append(Hex(k[j])).Append("  ").AppendLine(LlvmInstructionFormatter.Format(k[j]));
            }

            return sb.ToString();
        }

        foreach (var s in steps)
        {
            var x = e[s.Linked];
            sb.Append(x.Where.PadRight(40)).Append(' ').Append(LlvmInstructionFormatter.Format(x.Insn).PadRight(36)).Append(' ').Append(s.Rewrite.ToString().PadRight(20));
            for (int j = s.KernelStart; j < s.KernelStart + s.KernelCount; j++)
            {
                sb.Append(j == s.KernelStart ? " " : "\n" + new string(' ', 99)).Append(kSlots[j]).Append(": ").Append(LlvmInstructionFormatter.Format(k[j]));
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static string Hex(Instruction insn)
    {
        var buffer = new byte[16];
        int n = InstructionEncoder.Encode(insn, buffer, ByteOrder.Little);
        return HexBytes.ToHex(buffer.AsSpan(0, n));
    }

    private static bool Equal(Instruction[] k, int j, Instruction[] expected)
    {
        if (j + expected.Length > k.Length)
        {
            return false;
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (k[j + i] != expected[i])
            {
                return false;
            }
        }

        return true;
    }

    private static Instruction I(byte opcode, byte dst, byte src, short off, int imm) => Instruction.Create(opcode, dst, src, off, imm);
}
