// SPDX-License-Identifier: MIT
using System.Buffers;
using BpfFixup.Diagnostics;
using BpfFixup.Isa;
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>
/// The control-flow graph of one function, built with the kernel's structural checks
/// (kernel/bpf/verifier.c <c>check_subprogs</c>, <c>check_cfg</c>): jumps stay inside the function and
/// never land in the second slot of ld_imm64, no path falls off the end, unreachable code, back-edges.
/// </summary>
public sealed class ControlFlowGraph
{
    // The blocks as arrays, one entry per block (a compressed layout, not an object per block in a list grown as the
    // blocks are found: issue 8's memory bound and issue 11's time, both dominated by the analysis's temporaries).
    private readonly int[] starts; // block b is [starts[b], starts[b + 1]); one more entry, the function's end
    private readonly int[] targetInsns; // the jump ending block b goes to this instruction when taken, or -1
    private readonly int[] successors; // block b's successors at 2b and 2b + 1, -1 for none: the jump's target first
    private readonly ulong[] reachable; // a bit per block
    private BasicBlock[]? blocks; // Blocks, made when asked for (the analysis reads the arrays)
    private Instruction[]? instructions; // the function's instructions decoded once, lent by ArrayPool until Release

    private ControlFlowGraph(BpfFunction function, int[] starts, int[] targetInsns, int[] successors, Instruction[] instructions)
    {
        Function = function;
        this.instructions = instructions;
        this.starts = starts;
        this.targetInsns = targetInsns;
        this.successors = successors;
        reachable = new ulong[(targetInsns.Length + 63) >> 6];
    }

    /// <summary>The function.</summary>
    public BpfFunction Function { get; }

    /// <summary>Blocks in instruction order; block 0 starts at the function's entry.</summary>
    public IReadOnlyList<BasicBlock> Blocks => blocks ??= MakeBlocks();

    /// <summary>The number of blocks.</summary>
    public int BlockCount => targetInsns.Length;

    /// <summary>The first instruction of block <paramref name="b"/>.</summary>
    internal int StartOf(int b) => starts[b];

    /// <summary>The end (exclusive) of block <paramref name="b"/>.</summary>
    internal int EndOf(int b) => starts[b + 1];

    /// <summary>The instruction the jump ending block <paramref name="b"/> goes to when taken, or -1 (<see cref="BasicBlock.TargetInsn"/>).</summary>
    internal int TargetInsnOf(int b) => targetInsns[b];

    /// <summary>Successor <paramref name="k"/> (0 or 1) of block <paramref name="b"/>, or -1 when it has fewer.</summary>
    internal int SuccessorOf(int b, int k) => successors[(2 * b) + k];

    /// <summary>
    /// Instruction <paramref name="insn"/> (section-relative) of the function, decoded at build: the analysis reads each
    /// instruction at every transfer of its block, and decoding it from the section's bytes each time (its slot from
    /// the rank bitmap, then the words) was several per cent of <c>check</c>.
    /// </summary>
    internal Instruction InstructionAt(int insn) => instructions is { } decoded ? decoded[insn - Function.StartInsn] : Function.Section.Instructions[insn];

    /// <summary>Gives the decoded instructions back to the pool; <see cref="InstructionAt"/> decodes from the section after this.</summary>
    internal void Release()
    {
        if (instructions is { } decoded)
        {
            instructions = null;
            ArrayPool<Instruction>.Shared.Return(decoded);
        }
    }

    /// <summary>The block holding instruction <paramref name="insn"/>.</summary>
    public BasicBlock BlockOf(int insn)
    {
        int at = Array.BinarySearch(starts, 0, BlockCount, insn);
        return Blocks[at >= 0 ? at : ~at - 1];
    }

    private bool IsReachable(int b) => (reachable[b >> 6] & (1UL << (b & 63))) != 0;

    private BasicBlock[] MakeBlocks()
    {
        var made = new BasicBlock[BlockCount];
        for (int b = 0; b < made.Length; b++)
        {
            made[b] = new BasicBlock
            {
                Id = b,
                Start = starts[b],
                End = starts[b + 1],
                TargetInsn = targetInsns[b],
                Successors = successors[(2 * b) + 1] >= 0 ? [successors[2 * b], successors[(2 * b) + 1]] : successors[2 * b] >= 0 ? [successors[2 * b]] : [],
                Reachable = IsReachable(b),
            };
        }

        return made;
    }

    /// <summary>
    /// The jump target (instruction index) of the jump at <paramref name="insn"/>, or -1 when it leaves
    /// <paramref name="fn"/> or lands inside an ld_imm64; RFC 9669 §4.3: target = pc + off + 1 (gotol: imm).
    /// </summary>
    public static int JumpTarget(BpfFunction fn, int insn, out long targetSlot) =>
        JumpTarget(fn.Section, insn, fn.StartSlot, fn.EndSlot, out targetSlot);

    /// <summary><see cref="JumpTarget(BpfFunction, int, out long)"/> with the function's slot range [<paramref name="startSlot"/>, <paramref name="endSlot"/>) known (each is a search of the slot table).</summary>
    private static int JumpTarget(CodeSection code, int insn, int startSlot, int endSlot, out long targetSlot)
    {
        targetSlot = (long)code.Slots[insn] + code.Instructions[insn].JumpDistance + 1;
        if (targetSlot < startSlot || targetSlot >= endSlot)
        {
            return -1;
        }

        return code.InsnAtSlot(targetSlot);
    }

    /// <summary>Builds the graph and reports structural problems into <paramref name="diagnostics"/>.</summary>
    public static ControlFlowGraph Build(BpfObject obj, BpfFunction fn, List<Diagnostic> diagnostics)
    {
        var code = fn.Section;
        int n = fn.Length;
        int startSlot = fn.StartSlot, endSlot = fn.EndSlot;
        // Scratch for this build only: lent by the shared pool (a function can be most of a million instructions).
        var leader = ArrayPool<bool>.Shared.Rent(n + 1);
        var targets = ArrayPool<int>.Shared.Rent(n);
        var decoded = ArrayPool<Instruction>.Shared.Rent(n); // kept by the graph
        Array.Clear(leader, 0, n + 1);
        leader[0] = true;
        Array.Fill(targets, -1, 0, n);
        for (int k = 0; k < n; k++)
        {
            int i = fn.StartInsn + k;
            var kind = code.Kinds[i];
            var insn = decoded[k] = code.Instructions[i];
            if (kind.IsJump())
            {
                int t = JumpTarget(code, i, startSlot, endSlot, out long slot);
                if (t < 0)
                {
                    string why = slot >= startSlot && slot < endSlot
                        ? $"jump into the middle of ldimm64 insn {slot - 1}"
                        : $"jump out of range from insn {code.Slots[i]} to {slot}";
                    diagnostics.Add(Structural(obj, fn, i, slot >= startSlot && slot < endSlot ? DiagnosticIds.JumpIntoLdImm64 : DiagnosticIds.JumpOutOfRange, Severity.Error, why));
                }
                else
                {
                    targets[k] = t;
                    leader[t - fn.StartInsn] = true;
                }

                leader[k + 1] = true;
            }
            else if (kind is InstructionKind.Exit or InstructionKind.IndirectGoto)
            {
                leader[k + 1] = true;
            }
            else if (IsCallToInvalidDestination(obj, code, i, kind, insn))
            {
                // kernel add_subprog_and_kfunc -> add_subprog: every pseudo call of the program, reached or not,
                // must land inside it ("call to invalid destination"), kernel/bpf/verifier.c.
                diagnostics.Add(Structural(obj, fn, i, DiagnosticIds.BadCallTarget, Severity.Error, InvalidDestination));
            }

            if (kind is not InstructionKind.Invalid && WritesR10(insn, kind))
            {
                diagnostics.Add(Structural(obj, fn, i, DiagnosticIds.FramePointerWrite, Severity.Error, "frame pointer is read only"));
            }

            if (kind == InstructionKind.IndirectGoto)
            {
                diagnostics.Add(Structural(obj, fn, i, DiagnosticIds.AnalysisLimit, Severity.Warning, "gotox through a jump table is not followed by this analysis"));
            }
        }

        // The blocks start at the leaders: counted first, so every array is made once at its size. A jump's target is
        // a leader, so the block of a target is the rank of its leader, noted (in the scratch) at each leader only.
        int count = 0;
        for (int k = 0; k < n; k++)
        {
            count += leader[k] ? 1 : 0;
        }

        var starts = new int[count + 1];
        var blockTargets = new int[count];
        var successors = new int[2 * count];
        var blockOfLeader = ArrayPool<int>.Shared.Rent(n);
        for (int k = 0, b = 0; k < n; k++)
        {
            if (leader[k])
            {
                blockOfLeader[k] = b;
                starts[b++] = fn.StartInsn + k;
            }
        }

        starts[count] = fn.StartInsn + n;
        int loaded = -1; // fn.LoadedLength, a scan of the slots: found only when a block falls off the end
        for (int b = 0; b < count; b++)
        {
            int last = starts[b + 1] - 1;
            var kind = code.Kinds[last];
            int k = last - fn.StartInsn;
            blockTargets[b] = targets[k];
            int first = -1, second = -1;
            bool falls = kind is not (InstructionKind.Exit or InstructionKind.Goto or InstructionKind.GotoLong or InstructionKind.IndirectGoto);
            if (kind.IsJump() && targets[k] >= 0)
            {
                first = blockOfLeader[targets[k] - fn.StartInsn];
            }

            if (falls)
            {
                if (starts[b + 1] < fn.EndInsn)
                {
                    int next = b + 1;
                    if (first < 0) { first = next; } else if (first != next) { second = next; } // not twice (a jump to the next instruction)
                }
                else if (starts[b] - fn.StartInsn < (loaded < 0 ? loaded = fn.LoadedLength : loaded))
                {
                    diagnostics.Add(Structural(obj, fn, last, DiagnosticIds.FallThroughEnd, Severity.Error, "last insn is not an exit or jmp"));
                }
            }

            successors[2 * b] = first;
            successors[(2 * b) + 1] = second;
        }

        ArrayPool<bool>.Shared.Return(leader);
        ArrayPool<int>.Shared.Return(targets);
        ArrayPool<int>.Shared.Return(blockOfLeader);
        var cfg = new ControlFlowGraph(fn, starts, blockTargets, successors, decoded);
        cfg.MarkReachable(obj, diagnostics);
        return cfg;
    }

    /// <summary>
    /// True when the instruction writes r10 (kernel <c>check_reg_arg</c>: "frame pointer is read only"): the
    /// destination of ALU, loads and ld_imm64; the source register of a fetching atomic; the destination of
    /// load-acquire. (cmpxchg writes r0.)
    /// </summary>
    private static bool WritesR10(in Instruction insn, InstructionKind kind) => kind switch
    {
        InstructionKind.Alu32 or InstructionKind.Alu64 or InstructionKind.Load or InstructionKind.LoadImm64 => insn.Dst == 10,
        InstructionKind.Atomic when insn.Imm == Opcodes.AtomicLoadAcquire => insn.Dst == 10,
        InstructionKind.Atomic when insn.Imm != Opcodes.AtomicCmpXchg && (insn.Imm & Opcodes.AtomicFetch) != 0 => insn.Src == 10,
        _ => false,
    };

    private void MarkReachable(BpfObject obj, List<Diagnostic> diagnostics)
    {
        // Depth-first from the entry; an edge to a block on the current path is a back-edge (a loop). The stack holds
        // (block, next successor) pairs, at most one per block and the entry's again: lent, as the build's scratch.
        int count = BlockCount;
        var state = ArrayPool<byte>.Shared.Rent(count); // 0 new, 1 on stack, 2 done
        var stack = ArrayPool<int>.Shared.Rent(2 * (count + 1));
        Array.Clear(state, 0, count);
        int depth = 0;
        stack[depth++] = 0;
        stack[depth++] = 0;
        state[0] = 1;
        reachable[0] |= 1;
        var code = Function.Section;
        while (depth > 0)
        {
            int next = stack[--depth];
            int b = stack[--depth];
            int s = next < 2 ? successors[(2 * b) + next] : -1;
            if (s >= 0)
            {
                stack[depth++] = b;
                stack[depth++] = next + 1;
                if (state[s] == 1)
                {
                    int from = starts[b + 1] - 1;
                    diagnostics.Add(Structural(obj, Function, from, DiagnosticIds.BackEdge, Severity.Note,
                        $"back-edge from insn {code.Slots[from]} to {code.Slots[starts[s]]}"));
                }
                else if (state[s] == 0)
                {
                    state[s] = 1;
                    reachable[s >> 6] |= 1UL << (s & 63);
                    stack[depth++] = s;
                    stack[depth++] = 0;
                }
            }
            else
            {
                state[b] = 2;
            }
        }

        ArrayPool<byte>.Shared.Return(state);
        ArrayPool<int>.Shared.Return(stack);
        int loaded = Function.StartInsn + Function.LoadedLength;
        for (int b = 0; b < count; b++)
        {
            // Bytes after the FUNC symbol's st_size and before the next function belong to no function: libbpf
            // never loads them (bpf_object__add_programs takes st_size / 8 instructions), so the kernel never
            // calls them unreachable.
            if (!IsReachable(b) && starts[b] < loaded)
            {
                diagnostics.Add(Structural(obj, Function, starts[b], DiagnosticIds.Unreachable, Severity.Warning, $"unreachable insn {code.Slots[starts[b]]}"));
            }
        }
    }

    /// <summary>The kernel's words for a pseudo call that lands outside the program (kernel/bpf/verifier.c add_subprog).</summary>
    internal const string InvalidDestination = "call to invalid destination";

    /// <summary>
    /// A bpf-to-bpf call, pc-relative or relocated, whose target is outside the code section it names or inside an
    /// ld_imm64: the kernel checks every instruction for it before any path is followed, so unreachable code counts too.
    /// </summary>
    internal static bool IsCallToInvalidDestination(BpfObject obj, CodeSection code, int insn, InstructionKind kind) =>
        kind == InstructionKind.CallLocal && IsCallToInvalidDestination(obj, code, insn, kind, code.Instructions[insn]);

    /// <summary><see cref="IsCallToInvalidDestination(BpfObject, CodeSection, int, InstructionKind)"/> of <paramref name="decoded"/>, the instruction at <paramref name="insn"/> (not decoded again).</summary>
    private static bool IsCallToInvalidDestination(BpfObject obj, CodeSection code, int insn, InstructionKind kind, in Instruction decoded) =>
        kind == InstructionKind.CallLocal
        && obj.ResolveCall(code, insn, decoded) is { Kind: CallTargetKind.Unresolved, Section: not null };

    private static Diagnostic Structural(BpfObject obj, BpfFunction fn, int insn, string id, Severity severity, string message) =>
        obj.DiagnosticAt(fn, insn, id, severity, message);
}
