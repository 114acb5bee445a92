// SPDX-License-Identifier: MIT
using BpfFixup.Btf;
using BpfFixup.Diagnostics;
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>
/// What libbpf and the kernel check against the kernel's BTF before the verifier runs, when that BTF is given
/// (<c>--kernel-btf</c>): the kfunc externs' prototypes, each program's attach target, and whether a sleepable
/// program's target may sleep.
/// </summary>
public static class KernelBtfChecks
{
    /// <summary>The findings for <paramref name="obj"/>'s programs against <paramref name="kernel"/>.</summary>
    /// <param name="obj">The object.</param>
    /// <param name="programs">Its programs.</param>
    /// <param name="kernel">The kernel's BTF.</param>
    /// <param name="ctxLoads">Each program's loads through ctx (<see cref="TypeAnalyzer.RunWithCtxLoads"/>).</param>
    public static List<Diagnostic> Check(BpfObject obj, IReadOnlyList<ProgramReport> programs, KernelBtf kernel, IReadOnlyDictionary<BpfFunction, IReadOnlyList<CtxLoad>> ctxLoads)
    {
        var diagnostics = new List<Diagnostic>();
        // bpf_object_load resolves the externs (bpf_object__resolve_externs) before any program is prepared: one
        // incompatible extern fails the whole object's load, so every program is refused with libbpf's words.
        if (ExternProblem(obj, kernel) is { } extern_)
        {
            foreach (var p in programs)
            {
                diagnostics.Add(At(obj, p, DiagnosticIds.KernelExtern, Severity.Error, extern_));
            }

            return diagnostics;
        }

        // Suggestions for missing targets come from one pass over the kernel's functions for all of them, and one
        // note per distinct (target, declared shape): a scan per program cost programs x kernel functions.
        SimilarNames? similarNames = null;
        var suggestions = new Dictionary<(string Target, string Shape), string?>();
        foreach (var p in programs)
        {
            if (AttachTarget(p) is not { } target)
            {
                continue;
            }

            if (kernel.FindFunc(target) is not { Types: var types, Func: var func })
            {
                // libbpf_find_attach_btf_id -> find_kernel_btf_id: no FUNC of that name in vmlinux or a module (-ESRCH).
                diagnostics.Add(At(obj, p, DiagnosticIds.AttachTarget, Severity.Error,
                    $"prog '{p.Program.Name}': failed to find kernel BTF type ID of '{target}': -ESRCH"));
                var declared = DeclaredArguments.PointerShape(obj, p.Program);
                var key = (target, declared is null ? "?" : string.Concat(declared.Select(pointer => pointer ? 'p' : 's')));
                if (!suggestions.TryGetValue(key, out string? suggestion))
                {
                    similarNames ??= new SimilarNames(kernel, MissingTargetStems(programs, kernel));
                    suggestion = Suggestion(kernel, target, similarNames.Similar(target), declared);
                    suggestions.Add(key, suggestion);
                }

                if (suggestion is not null)
                {
                    diagnostics.Add(At(obj, p, DiagnosticIds.AttachTarget, Severity.Note, suggestion));
                }

                continue;
            }

            if (p.Definition!.Sleepable && Sleepable.Judge(types, func) is { } verdict)
            {
                diagnostics.Add(At(obj, p, DiagnosticIds.NotSleepable, verdict.Severity, verdict.Message));
                if (verdict.Severity == Severity.Error)
                {
                    // bpf_check_attach_target refuses before the verifier walks the program.
                    continue;
                }
            }

            // The verifier stops at the first load it refuses.
            foreach (var load in ctxLoads.GetValueOrDefault(p.Program) ?? [])
            {
                if (CtxArgumentRules.Judge(types, func, p.Definition.AttachType!.Value, load.Offset, load.Size) is { } refused)
                {
                    if (refused.Cause is { } cause)
                    {
                        diagnostics.Add(obj.DiagnosticAt(load.Function, load.Insn, DiagnosticIds.CtxArgument, Severity.Error, cause) with { Program = p.Program.Name });
                    }

                    diagnostics.Add(obj.DiagnosticAt(load.Function, load.Insn, DiagnosticIds.CtxArgument, refused.Cause is null ? Severity.Error : Severity.Note, refused.Invalid) with { Program = p.Program.Name });
                    break;
                }
            }
        }

        return diagnostics;
    }

    /// <summary>
    /// The target a BTF-attached tracing program names (<c>fentry/</c>, <c>fexit/</c>, <c>fmod_ret/</c>,
    /// <c>fsession/</c> and their <c>.s</c> forms: libbpf's <c>SEC_ATTACH_BTF</c> rows that look up a FUNC), or null.
    /// </summary>
    public static string? AttachTarget(ProgramReport p)
    {
        if (p.Definition is not { ProgramType: ProgramType.Tracing, AttachType: AttachType.TraceFentry or AttachType.TraceFexit or AttachType.ModifyReturn or AttachType.TraceFsession })
        {
            return null;
        }

        return NameAfterSlash(p.Program.Section.Name);
    }

    /// <summary>The tracepoint a tp_btf program names (<c>tp_btf/sched_switch</c>: libbpf's BTF_TRACE_PREFIX lookup), or null.</summary>
    public static string? RawTracepoint(ProgramReport p)
    {
        if (p.Definition is not { ProgramType: ProgramType.Tracing, AttachType: AttachType.TraceRawTp })
        {
            return null;
        }

        return NameAfterSlash(p.Program.Section.Name);
    }

    /// <summary>What a section name gives after its first '/' (<c>fentry/vfs_read</c> → <c>vfs_read</c>), or null.</summary>
    private static string? NameAfterSlash(string section)
    {
        int slash = section.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < section.Length - 1 ? section[(slash + 1)..] : null;
    }

    /// <summary>
    /// libbpf's first failing kfunc extern in its extern order (<c>cmp_externs</c>: by name), or null:
    /// <c>bpf_object__resolve_ksym_func_btf_id</c>'s two messages.
    /// </summary>
    private static string? ExternProblem(BpfObject obj, KernelBtf kernel)
    {
        if (obj.Btf is not { } btf)
        {
            return null;
        }

        foreach (var name in btf.KsymFuncs().Order(StringComparer.Ordinal))
        {
            var local = btf.FindFunc(name)!;
            if (kernel.FindFunc(name) is not { } kfunc)
            {
                return $"extern (func ksym) '{name}': not found in kernel or module BTFs";
            }

            // bpf_object__resolve_ksym_func_btf_id names the BTF the kfunc came from: mod_btf->name or "vmlinux".
            if (!BtfCompat.AreCompat(btf, (int)local.SizeOrType, kfunc.Types, (int)kfunc.Func.SizeOrType))
            {
                return $"extern (func ksym) '{name}': func_proto [{local.SizeOrType}] incompatible with {kfunc.Owner} [{kfunc.Func.SizeOrType}]";
            }
        }

        return null;
    }

    /// <summary>
    /// The note naming up to <see cref="MaxSuggestions"/> similar kernel functions (those that take the arguments
    /// the program declares, when any does), or null when there is none.
    /// </summary>
    private static string? Suggestion(KernelBtf kernel, string target, List<KernelFunc> similar, IReadOnlyList<bool>? declared)
    {
        var fitting = declared is null ? [] : similar.Where(f => DeclaredArguments.Fits(f.Types, f.Func, declared)).ToList();
        var shown = (fitting.Count > 0 ? fitting : similar).Take(MaxSuggestions).ToList();
        if (shown.Count == 0)
        {
            return null;
        }

        string what = fitting.Count > 0 ? "similarly named, with the arguments the program declares" : "similarly named";
        return $"'{target}' is not in {kernel.Names}; {what}: " +
            string.Join(", ", shown.Select(f => $"{f.Func.Name} ({BtfPrototype.Format(f.Types, f.Func)})" + (f.Module is { } m ? $" [{m}]" : string.Empty))) +
            " (bpf_program__set_attach_target() retargets a program)";
    }

    /// <summary>The stems of the attach targets the kernel does not have.</summary>
    private static List<string> MissingTargetStems(IReadOnlyList<ProgramReport> programs, KernelBtf kernel) =>
        [.. programs.Select(AttachTarget).OfType<string>().Where(t => kernel.FindFunc(t) is null).Select(SimilarNames.Stem).Distinct()];

    private const int MaxSuggestions = 5;

    /// <summary>
    /// A finding about the program as a whole (no instruction): its source position is the program's first line_info
    /// (clang's: the function's header line, or for a BPF_PROG program its first statement), so that editors and
    /// problem matchers point into the program.
    /// </summary>
    private static Diagnostic At(BpfObject obj, ProgramReport p, string id, Severity severity, string message) => new()
    {
        Id = id,
        Severity = severity,
        Message = message,
        File = obj.FileName,
        Section = p.Program.Section.Name,
        Function = p.Program.Name,
        Program = p.Program.Name,
        Source = p.Program.Length > 0 ? obj.SourceOf(p.Program.Section, p.Program.StartInsn) : null,
    };
}
