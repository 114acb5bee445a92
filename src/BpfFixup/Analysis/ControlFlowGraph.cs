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
    private readonly int[] blockOf;

    private ControlFlowGraph(BpfFunction function, List<BasicBlock> blocks, int[] blockOf)
    {
        Function = function;
        BlockList = blocks;
        this.blockOf = blockOf;
    }

    /// <summary>The function.</summary>
    public BpfFunction Function { get; }

    /// <summary>Blocks in instruction order; block 0 starts at the function's entry.</summary>
    public IReadOnlyList<BasicBlock> Blocks => BlockList;

    /// <summary><see cref="Blocks"/> as the list itself, for the analysis's inner loop (no interface call per block).</summary>
    internal List<BasicBlock> BlockList { get; }

    /// <summary>The block holding instruction <paramref name="insn"/>.</summary>
    public BasicBlock BlockOf(int insn) => Blocks[blockOf[insn - Function.StartInsn]];

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
        Array.Clear(leader, 0, n + 1);
        leader[0] = true;
        Array.Fill(targets, -1, 0, n);
        for (int k = 0; k < n; k++)
        {
            int i = fn.StartInsn + k;
            var insn = code.Instructions[i];
            var kind = code.Kinds[i];
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
            else if (IsCallToInvalidDestination(obj, code, i, kind))
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

        var blocks = new List<BasicBlock>();
        var blockOf = new int[n];
        for (int k = 0; k < n;)
        {
            int end = k + 1;
            while (end < n && !leader[end])
            {
                end++;
            }

            var b = new BasicBlock { Id = blocks.Count, Start = fn.StartInsn + k, End = fn.StartInsn + end, TargetInsn = targets[end - 1] };
            Array.Fill(blockOf, b.Id, k, end - k);
            blocks.Add(b);
            k = end;
        }

        foreach (var b in blocks)
        {
            int last = b.End - 1;
            var insn = code.Instructions[last];
            var kind = code.Kinds[last];
            int k = last - fn.StartInsn;
            bool falls = kind is not (InstructionKind.Exit or InstructionKind.Goto or InstructionKind.GotoLong or InstructionKind.IndirectGoto);
            if (kind.IsJump() && targets[k] >= 0)
            {
                b.AddSuccessor(blockOf[targets[k] - fn.StartInsn]);
            }

            if (falls)
            {
                if (b.End < fn.EndInsn)
                {
                    b.AddSuccessor(blockOf[b.End - fn.StartInsn]); // not twice (a jump to the next instruction)
                }
                else if (b.Start - fn.StartInsn < fn.LoadedLength)
                {
                    diagnostics.Add(Structural(obj, fn, last, DiagnosticIds.FallThroughEnd, Severity.Error, "last insn is not an exit or jmp"));
                }
            }
        }

        ArrayPool<bool>.Shared.Return(leader);
        ArrayPool<int>.Shared.Return(targets);
        var cfg = new ControlFlowGraph(fn, blocks, blockOf);
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
        // Depth-first from the entry; an edge to a block on the current path is a back-edge (a loop).
        var state = new byte[Blocks.Count]; // 0 new, 1 on stack, 2 done
        var stack = new Stack<(int Block, int Next)>();
        stack.Push((0, 0));
        state[0] = 1;
        Blocks[0].Reachable = true;
        while (stack.Count > 0)
        {
            var (b, next) = stack.Pop();
            var block = BlockList[b];
            if (next < block.SuccessorCount)
            {
                stack.Push((b, next + 1));
                int s = block.SuccessorAt(next);
                if (state[s] == 1)
                {
                    var code = Function.Section;
                    int from = Blocks[b].End - 1;
                    diagnostics.Add(Structural(obj, Function, from, DiagnosticIds.BackEdge, Severity.Note,
                        $"back-edge from insn {code.Slots[from]} to {code.Slots[Blocks[s].Start]}"));
                }
                else if (state[s] == 0)
                {
                    state[s] = 1;
                    Blocks[s].Reachable = true;
                    stack.Push((s, 0));
                }
            }
            else
            {
                state[b] = 2;
            }
        }

        int loaded = Function.StartInsn + Function.LoadedLength;
        foreach (var block in Blocks)
        {
            // Bytes after the FUNC symbol's st_size and before the next function belong to no function: libbpf
            // never loads them (bpf_object__add_programs takes st_size / 8 instructions), so the kernel never
            // calls them unreachable.
            if (!block.Reachable && block.Start < loaded)
            {
                diagnostics.Add(Structural(obj, Function, block.Start, DiagnosticIds.Unreachable, Severity.Warning, $"unreachable insn {Function.Section.Slots[block.Start]}"));
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
        kind == InstructionKind.CallLocal
        && obj.ResolveCall(code, insn) is { Kind: CallTargetKind.Unresolved, Section: not null };

    private static Diagnostic Structural(BpfObject obj, BpfFunction fn, int insn, string id, Severity severity, string message) =>
        obj.DiagnosticAt(fn, insn, id, severity, message);
}
