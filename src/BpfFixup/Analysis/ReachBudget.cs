// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>
/// The bound on the code the programs of one object reach together. Each program is followed with every subprogram it
/// calls, as the kernel verifies each loaded program with its own copy of them (libbpf's
/// <c>bpf_object__reloc_code</c> appends the subprograms a program calls to that program). So P small programs that
/// share one subprogram of S instructions cost P x S, and list P x (its call sites) verdicts: a 1.3 MB object of 4,000
/// programs sharing one 32,000-instruction subprogram asked for 64 million report lines. The sum over programs of the
/// instructions each reaches may be at most the object's <see cref="AnalysisBudget"/> (<see cref="AnalysisBudget.PerInstruction"/>
/// times its own instructions plus <see cref="AnalysisBudget.Constant"/>, the kernel's BPF_COMPLEXITY_LIMIT_INSNS, so that
/// a few programs sharing subprograms of a size the kernel loads always fit), so that no input costs more than a fixed
/// multiple of its size (issue 8). It is checked on the call graph before any analysis: sharing analysed contexts (<see cref="SharedContexts"/>) makes
/// the analysis cheaper than the reach, but not the verdicts it lists per program.
/// </summary>
internal static class ReachBudget
{
    /// <summary>The budget of <paramref name="obj"/>: its <see cref="AnalysisBudget"/>'s limit.</summary>
    public static long Of(BpfObject obj) => AnalysisBudget.ForObject(obj).Limit;

    /// <summary>
    /// The functions each program reaches (<see cref="CallGraph.Reachable"/>, in program order), or null with
    /// <paramref name="over"/> naming the first program with which the sum passes the budget. The cost is the
    /// budget and one program's reach at most: the walk stops there.
    /// </summary>
    public static List<IReadOnlyList<BpfFunction>>? Reaches(BpfObject obj, CallGraph graph, out Diagnostic? over)
    {
        long budget = Of(obj);
        long sum = 0;
        var reaches = new List<IReadOnlyList<BpfFunction>>(obj.Programs.Count);
        foreach (var program in obj.Programs)
        {
            var reach = graph.Reachable(program);
            for (int k = 0; k < reach.Count; k++) // by index: a foreach over the interface boxes an enumerator per program
            {
                sum += reach[k].Length;
            }

            if (sum > budget)
            {
                over = obj.DiagnosticAt(program, program.StartInsn, DiagnosticIds.ReachLimit, Severity.Error,
                    $"the programs up to this one reach {sum} instructions with the subprograms each calls, more than bpffixup follows in one object ({budget} = {AnalysisBudget.PerInstruction} x its {AnalysisBudget.InstructionsOf(obj)} instructions + {AnalysisBudget.Constant})",
                    program.Name);
                return null;
            }

            reaches.Add(reach);
        }

        over = null;
        return reaches;
    }
}
