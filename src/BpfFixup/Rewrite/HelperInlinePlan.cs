// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Isa;
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>
/// Which helper calls <c>--kernel-inlines</c> replaces (do_misc_fixups in kernel/bpf/verifier.c, for
/// BPF_PROG_TYPE_TRACING). The kernel decides per loaded program, subprograms included, from its program type and
/// expected attach type; in an object a function may be reached by several programs, so a call is inlined only
/// when every program that reaches the function instance gets the same sequence, and is kept otherwise. The
/// fsession copy of a specialised function is reached by the fsession programs only, the original by the others.
/// </summary>
internal sealed class HelperInlinePlan
{
    private readonly Dictionary<BpfFunction, List<ProgramReport>> all = [];
    private readonly Dictionary<BpfFunction, List<ProgramReport>> fsession = [];
    private readonly Dictionary<BpfFunction, List<ProgramReport>> others = [];
    private readonly IReadOnlySet<BpfFunction> specialised;
    private readonly Btf.KernelBtf? kernel;

    private HelperInlinePlan(AnalysisResult analysis, RewritePlan plan, Btf.KernelBtf? kernel)
    {
        specialised = plan.Specialised.ToHashSet();
        this.kernel = kernel;
        foreach (var report in analysis.Programs)
        {
            var into = SessionKfuncRules.Inlines(report.Definition) ? fsession : others;
            foreach (var f in report.Reachable)
            {
                Add(all, f, report);
                Add(into, f, report);
            }
        }
    }

    /// <summary>The plan, or null when the option is off.</summary>
    public static HelperInlinePlan? Create(AnalysisResult analysis, RewritePlan plan, RewriteOptions options) =>
        options.KernelInlines ? new HelperInlinePlan(analysis, plan, options.KernelBtf) : null;

    /// <summary>True when some helper call of <paramref name="obj"/> would be inlined.</summary>
    public bool Any(BpfObject obj) => obj.CodeSections.Any(s => Enumerable.Range(0, s.Instructions.Length)
        .Any(i => TemplateAt(s, new FunctionInstance(s.FunctionAt(i), false), i) is not null));

    /// <summary>
    /// The sequence replacing the instruction at <paramref name="insn"/> of <paramref name="instance"/>, or null when
    /// it is not a helper call the kernel inlines for every program reaching the instance.
    /// </summary>
    public HelperInlineTemplate? TemplateAt(CodeSection section, FunctionInstance instance, int insn)
    {
        // do_misc_fixups looks at BPF_JMP | BPF_CALL with src_reg 0 (helper calls) only.
        if (section.Kinds[insn] != InstructionKind.CallHelper || section.Relocations[insn] is not null)
        {
            return null;
        }

        var reachers = Reachers(instance);
        if (reachers.Count == 0)
        {
            return null;
        }

        int helper = section.Instructions[insn].Imm;
        HelperInlineTemplate? chosen = null;
        foreach (var report in reachers)
        {
            // A tp_btf form needs the tracepoint's arguments from the kernel's BTF (--kernel-btf); two tracepoints
            // with different counts reaching one function give different sequences, and the call is kept.
            var def = report.Definition;
            int? tracepointArgs = kernel is not null && KernelBtfChecks.RawTracepoint(report) is { } tp ? kernel.RawTracepointArgs(tp) : null;
            var t = def?.ProgramType == ProgramType.Tracing ? KernelAbi.TracingHelperInline(helper, def.AttachType, tracepointArgs) : null;
            if (t is null || (chosen is not null && !t.SameSequence(chosen)))
            {
                return null;
            }

            chosen = t;
        }

        return chosen;
    }

    /// <summary>
    /// True when the instruction is a call of a helper that has inline templates, reached by a tracing program, and
    /// not inlined (a tp_btf form without the kernel's BTF, or programs that would need different sequences): a call the kernel inlines and
    /// the output keeps.
    /// </summary>
    public bool KeptAt(CodeSection section, FunctionInstance instance, int insn) =>
        section.Kinds[insn] == InstructionKind.CallHelper
        && KernelAbi.TracingHelperInlines.Any(t => t.HelperId == section.Instructions[insn].Imm)
        && Reachers(instance).Any(r => r.Definition?.ProgramType == ProgramType.Tracing)
        && TemplateAt(section, instance, insn) is null;

    private List<ProgramReport> Reachers(FunctionInstance instance) =>
        (instance.IsCopy ? fsession : specialised.Contains(instance.Function) ? others : all).GetValueOrDefault(instance.Function) ?? [];

    private static void Add(Dictionary<BpfFunction, List<ProgramReport>> map, BpfFunction f, ProgramReport report)
    {
        if (!map.TryGetValue(f, out var list))
        {
            list = [];
            map[f] = list;
        }

        list.Add(report);
    }
}
