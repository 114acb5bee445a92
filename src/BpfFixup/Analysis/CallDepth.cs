// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>
/// The verifier's limit of <see cref="MaxCallFrames"/> frames on a bpf-to-bpf call chain, found on the call
/// graph without recursion (a chain of any length costs one pass per frame over the edges).
/// <list type="bullet">
/// <item>While verifying a program or a global subprogram, each call and each callback pushes a frame;
/// kernel/bpf/verifier.c <c>setup_func_entry</c> (used by <c>check_func_call</c> and <c>push_callback_call</c>)
/// refuses the 9th: <c>if (state-&gt;curframe + 1 &gt;= MAX_CALL_FRAMES) "the call stack of %d frames is too
/// deep", state-&gt;curframe + 2</c>. Global subprograms are verified on their own, from frame 0.</item>
/// <item>After that, <c>check_max_stack_depth_subprog</c> walks every call from the program, global callees
/// included, and refuses frame 8: <c>if (frame &gt;= MAX_CALL_FRAMES) "the call stack of %d frames is too deep !",
/// frame</c>.</item>
/// </list>
/// Only calls are followed. A callback's frame is pushed where a helper (bpf_loop, ...) calls it, which the
/// ld_imm64 that loads its address does not tell; the type analysis still bounds its own nesting of
/// callbacks at the same depth.
/// </summary>
public static class CallDepth
{
    /// <summary>MAX_CALL_FRAMES (include/linux/bpf_verifier.h).</summary>
    public const int MaxCallFrames = 8;

    /// <summary>Longest chains of frames from each function, capped at <see cref="MaxCallFrames"/> + 1.</summary>
    public sealed class Heights
    {
        // By BpfFunction.Index: arrays, not dictionaries hashing the function (rounds over an object of 2,000 programs'
        // call edges were 3 % of check that way).
        private readonly int[] local;
        private readonly int[] all;
        private readonly CallGraph graph;
        private readonly Func<BpfFunction, bool> isGlobal;

        /// <summary>Computes the heights of every function of <paramref name="graph"/>'s object.</summary>
        public Heights(CallGraph graph, Func<BpfFunction, bool> isGlobal)
        {
            this.graph = graph;
            this.isGlobal = isGlobal;
            local = Compute(graph, c => !isGlobal(c));
            all = Compute(graph, static _ => true);
        }

        /// <summary>
        /// The kernel's error for <paramref name="program"/>, if any: the call that would push one frame too
        /// many and the message, first for the program's own verification and each global subprogram it
        /// reaches, then for the whole call graph.
        /// </summary>
        public (BpfFunction Caller, int Insn, string Message)? TooDeep(BpfFunction program, IReadOnlyList<BpfFunction> reachable)
        {
            for (int k = 0; k < reachable.Count; k++) // by index: a foreach boxes an enumerator per program
            {
                var root = reachable[k];
                if ((root == program || isGlobal(root)) && local[root.Index] > MaxCallFrames)
                {
                    var (caller, insn) = Overflow(root, local, c => !isGlobal(c));
                    return (caller, insn, $"the call stack of {MaxCallFrames + 1} frames is too deep");
                }
            }

            if (all[program.Index] > MaxCallFrames)
            {
                var (caller, insn) = Overflow(program, all, static _ => true);
                return (caller, insn, $"the call stack of {MaxCallFrames} frames is too deep !");
            }

            return null;
        }

        /// <summary>Follows a too-long chain from <paramref name="root"/> (frame 0) to the call that pushes frame 8.</summary>
        private (BpfFunction Caller, int Insn) Overflow(BpfFunction root, int[] height, Func<BpfFunction, bool> follow)
        {
            var f = root;
            for (int frame = 0; ; frame++)
            {
                // f is at `frame` and some chain from it reaches frame 8: a callee whose own chain still gets there.
                foreach (var (insn, callee, isCall) in graph.CalleesOf(f))
                {
                    if (isCall && follow(callee) && height[callee.Index] >= MaxCallFrames - frame)
                    {
                        if (frame + 1 == MaxCallFrames)
                        {
                            return (f, insn);
                        }

                        f = callee;
                        break;
                    }
                }
            }
        }

        /// <summary>
        /// height(f) = 1 + max height(callee), capped at MaxCallFrames + 1: after MaxCallFrames rounds over the
        /// edges every chain of up to MaxCallFrames + 1 frames is counted (cycles simply reach the cap).
        /// </summary>
        private static int[] Compute(CallGraph graph, Func<BpfFunction, bool> follow)
        {
            var functions = graph.Object.Functions;
            var height = new int[functions.Count];
            Array.Fill(height, 1);
            for (int round = 0; round < MaxCallFrames; round++)
            {
                bool changed = false;
                for (int i = 0; i < functions.Count; i++)
                {
                    var f = functions[i];
                    int h = height[i];
                    var callees = graph.CalleesOf(f); // by index: a foreach boxed an enumerator per function and round
                    for (int k = 0; k < callees.Count; k++)
                    {
                        var (_, callee, isCall) = callees[k];
                        if (isCall && follow(callee))
                        {
                            h = Math.Max(h, Math.Min(MaxCallFrames + 1, height[callee.Index] + 1));
                        }
                    }

                    changed |= h != height[i];
                    height[i] = h;
                }

                if (!changed)
                {
                    break;
                }
            }

            return height;
        }
    }

    /// <summary>The diagnostic for <paramref name="program"/>, or null when its call chains fit.</summary>
    public static Diagnostic? Check(BpfObject obj, Heights heights, BpfFunction program, IReadOnlyList<BpfFunction> reachable) =>
        heights.TooDeep(program, reachable) is { } e
            ? obj.DiagnosticAt(e.Caller, e.Insn, DiagnosticIds.CallStackTooDeep, Severity.Error, e.Message) with { Program = program.Name }
            : null;
}
