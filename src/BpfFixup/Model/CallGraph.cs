// SPDX-License-Identifier: MIT
using BpfFixup.Isa;

namespace BpfFixup.Model;

/// <summary>
/// bpf-to-bpf edges between functions through all three call forms (pc-relative, via the <c>.text</c>
/// section symbol, via a FUNC symbol) and through code addresses loaded with ld_imm64 (callbacks).
/// </summary>
public sealed class CallGraph
{
    private readonly Dictionary<BpfFunction, List<(int Insn, BpfFunction Callee, bool IsCall)>> edges = [];

    /// <summary>Builds the graph of <paramref name="obj"/>.</summary>
    public CallGraph(BpfObject obj)
    {
        Object = obj;
        foreach (var fn in obj.Functions)
        {
            var list = new List<(int, BpfFunction, bool)>();
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
                    list.Add((i, s.FunctionAt(t.TargetInsn), kind == InstructionKind.CallLocal));
                }
            }

            edges[fn] = list;
        }
    }

    /// <summary>The object.</summary>
    public BpfObject Object { get; }

    /// <summary>Calls and function references made by <paramref name="fn"/>: (instruction, callee, true for a call).</summary>
    public IReadOnlyList<(int Insn, BpfFunction Callee, bool IsCall)> CalleesOf(BpfFunction fn) => edges.TryGetValue(fn, out var l) ? l : [];

    /// <summary><paramref name="program"/> and every function it reaches, in discovery order (depth first).</summary>
    public IReadOnlyList<BpfFunction> Reachable(BpfFunction program)
    {
        var seen = new HashSet<BpfFunction> { program };
        var order = new List<BpfFunction> { program };
        var stack = new Stack<BpfFunction>();
        stack.Push(program);
        while (stack.Count > 0)
        {
            var f = stack.Pop();
            foreach (var (_, callee, _) in CalleesOf(f))
            {
                if (seen.Add(callee))
                {
                    order.Add(callee);
                    stack.Push(callee);
                }
            }
        }

        return order;
    }
}
