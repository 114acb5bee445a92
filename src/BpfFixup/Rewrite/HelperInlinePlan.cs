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
    private readonly Dictionary<BpfFunction, List<SectionDef?>> all = [];
    private readonly Dictionary<BpfFunction, List<SectionDef?>> fsession = [];
    private readonly Dictionary<BpfFunction, List<SectionDef?>> others = [];
    private readonly IReadOnlySet<BpfFunction> specialised;

    private HelperInlinePlan(AnalysisResult analysis, RewritePlan plan)
    {
        specialised = plan.Specialised.ToHashSet();
        foreach (var report in analysis.Programs)
        {
            var into = SessionKfuncRules.Inlines(report.Definition) ? fsession : others;
            foreach (var f in report.Reachable)
            {
                Add(all, f, report.Definition);
                Add(into, f, report.Definition);
            }
        }
    }

    /// <summary>The plan, or null when the option is off.</summary>
    public static HelperInlinePlan? Create(AnalysisResult analysis, RewritePlan plan, RewriteOptions options) =>
        options.KernelInlines ? new HelperInlinePlan(analysis, plan) : null;

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

        var defs = Reachers(instance);
        if (defs.Count == 0)
        {
            return null;
        }

        int helper = section.Instructions[insn].Imm;
        HelperInlineTemplate? chosen = null;
        foreach (var def in defs)
        {
            var t = def?.ProgramType == ProgramType.Tracing ? KernelAbi.TracingHelperInline(helper, def.AttachType) : null;
            if (t is null || (chosen is not null && !ReferenceEquals(t, chosen)))
            {
                return null;
            }

            chosen = t;
        }

        return chosen;
    }

    /// <summary>
    /// True when the instruction is a call of a helper that has inline templates, reached by a tracing program, and
    /// not inlined (a tp_btf form, or programs that would need different sequences): a call the kernel inlines and
    /// the output keeps.
    /// </summary>
    public bool KeptAt(CodeSection section, FunctionInstance instance, int insn) =>
        section.Kinds[insn] == InstructionKind.CallHelper
        && KernelAbi.TracingHelperInlines.Any(t => t.HelperId == section.Instructions[insn].Imm)
        && Reachers(instance).Any(d => d?.ProgramType == ProgramType.Tracing)
        && TemplateAt(section, instance, insn) is null;

    private List<SectionDef?> Reachers(FunctionInstance instance) =>
        (instance.IsCopy ? fsession : specialised.Contains(instance.Function) ? others : all).GetValueOrDefault(instance.Function) ?? [];

    private static void Add(Dictionary<BpfFunction, List<SectionDef?>> map, BpfFunction f, SectionDef? def)
    {
        if (!map.TryGetValue(f, out var list))
        {
            list = [];
            map[f] = list;
        }

        list.Add(def);
    }
}
