// SPDX-License-Identifier: MIT
using BpfFixup.Isa;

namespace BpfFixup.Model;

/// <summary>
/// bpf-to-bpf edges between functions through all three call forms (pc-relative, via the <c>.text</c>
/// section symbol, via a FUNC symbol) and through code addresses loaded with ld_imm64 (callbacks).
/// </summary>
public sealed class CallGraph
{
    private readonly BpfFunction[] functions; // the object's, to tell its functions from another object's
    private readonly List<(int Insn, BpfFunction Callee, bool IsCall)>?[] edges; // by BpfFunction.Index, null for a function that calls nothing

    /// <summary>Builds the graph of <paramref name="obj"/>.</summary>
    public CallGraph(BpfObject obj)
    {
        Object = obj;
        functions = [.. obj.Functions];
        edges = new List<(int, BpfFunction, bool)>?[functions.Length];
        foreach (var fn in obj.Functions)
        {
            List<(int, BpfFunction, bool)>? list = null; // a function that calls nothing has no list (CalleesOf gives [])
            var code = fn.Section;
            for (int i = fn.StartInsn; i < fn.EndInsn; i++)
            {
                var kind = code.Kinds[i];
                CallTarget t = kind switch
                {
                    InstructionKind.CallLocal => obj.ResolveCall(code, i),
                    InstructionKind.LoadImm64 => obj.ResolveFunctionPointer(code, i),
                    _ => CallTarget.None,
                };
                if (t.Kind == CallTargetKind.Subprogram && t.Section is { } s && t.TargetInsn >= 0)
                {
                    (list ??= []).Add((i, s.FunctionAt(t.TargetInsn), kind == InstructionKind.CallLocal));
                }
            }

            edges[fn.Index] = list;
        }
    }

    /// <summary>The object.</summary>
    public BpfObject Object { get; }

    /// <summary>Calls and function references made by <paramref name="fn"/>: (instruction, callee, true for a call).</summary>
    public IReadOnlyList<(int Insn, BpfFunction Callee, bool IsCall)> CalleesOf(BpfFunction fn) =>
        (uint)fn.Index < (uint)edges.Length && ReferenceEquals(functions[fn.Index], fn) ? (IReadOnlyList<(int Insn, BpfFunction Callee, bool IsCall)>?)edges[fn.Index] ?? [] : [];

    /// <summary><paramref name="program"/> and every function it reaches, in discovery order (depth first).</summary>
    public IReadOnlyList<BpfFunction> Reachable(BpfFunction program)
    {
        var order = new List<BpfFunction> { program };
        var seen = new Visited(order);
        var stack = new Stack<BpfFunction>();
        stack.Push(program);
        while (stack.Count > 0)
        {
            var f = stack.Pop();
            var callees = CalleesOf(f);
            for (int k = 0; k < callees.Count; k++) // by index: a foreach over the interface boxes an enumerator per function
            {
                var callee = callees[k].Callee;
                if (seen.Add(callee))
                {
                    stack.Push(callee);
                }
            }
        }

        return order;
    }

    /// <summary>
    /// <paramref name="program"/> and the functions it reaches in the order libbpf lays them out in the program's
    /// image, which is the kernel's subprogram numbering (func#0 is the program). tools/lib/bpf/libbpf.c
    /// <c>bpf_object__reloc_code</c> walks a function's instructions in order; at a call or ld_imm64 of a function
    /// not yet in this program's image (<c>sub_insn_off == 0</c>) it appends that function
    /// (<c>bpf_object__append_subprog_code</c>) and at once relocates it the same way, before going on: a depth-first
    /// pre-order by first reference. The verifier numbers subprograms by start instruction
    /// (<c>add_subprog_and_kfunc</c> sorts them), which in the appended image is this order.
    /// </summary>
    public IReadOnlyList<BpfFunction> ImageOrder(BpfFunction program)
    {
        var order = new List<BpfFunction> { program };
        var seen = new Visited(order);
        var stack = new Stack<(BpfFunction Fn, int Next)>();
        stack.Push((program, 0));
        while (stack.Count > 0)
        {
            var (fn, next) = stack.Pop();
            var callees = CalleesOf(fn);
            for (int k = next; k < callees.Count; k++)
            {
                var callee = callees[k].Callee;
                if (seen.Add(callee))
                {
                    stack.Push((fn, k + 1));
                    stack.Push((callee, 0));
                    break;
                }
            }
        }

        return order;
    }

    /// <summary>
    /// The functions found so far, in the order found (<paramref name="order"/>, which <see cref="Add"/> appends to):
    /// searched in that list while it is short, as most programs reach a few functions, and through a set once it is
    /// not (a set per program was most of what a walk over thousands of programs allocated).
    /// </summary>
    private struct Visited(List<BpfFunction> order)
    {
        private const int ListLimit = 16;
        private HashSet<BpfFunction>? set;

        /// <summary>Appends <paramref name="f"/> to the order when it is new; false when it was found before.</summary>
        public bool Add(BpfFunction f)
        {
            if (set is null ? order.Contains(f) : !set.Add(f))
            {
                return false;
            }

            order.Add(f);
            if (set is null && order.Count > ListLimit)
            {
                set = [.. order];
            }

            return true;
        }
    }
}
