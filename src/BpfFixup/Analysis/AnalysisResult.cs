// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>The verifier-like pass over one object.</summary>
public sealed record AnalysisResult
{
    /// <summary>The object.</summary>
    public required BpfObject Object { get; init; }

    /// <summary>The call graph.</summary>
    public required CallGraph CallGraph { get; init; }

    /// <summary>One report per program, in section order.</summary>
    public required IReadOnlyList<ProgramReport> Programs { get; init; }

    /// <summary>Every diagnostic: load findings, structural checks, type checks, kfunc rules; ordered by section, slot, id.</summary>
    public required IReadOnlyList<Diagnostic> Diagnostics { get; init; }

    /// <summary>True when any diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);

    /// <summary>
    /// Cookie slots per trampoline: fsession programs that call bpf_session_cookie, grouped by attach target
    /// (the part of the section name after <c>fsession/</c>); the x86 trampoline reserves one 8-byte slot per
    /// such program (bpf_fsession_cookie_cnt counts the links whose program has call_session_cookie, set by check_kfunc_call in
    /// kernel/bpf/verifier.c).
    /// </summary>
    public IReadOnlyDictionary<string, int> CookieSlotsByTarget =>
        Programs.Where(p => p.IsFsession && p.UsesCookie)
            .GroupBy(p => AttachTarget(p.Program.Section.Name), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>The verdict for each call site and program.</summary>
    public IEnumerable<CallSiteVerdict> Verdicts => Programs.SelectMany(p => p.Sites);

    private static string AttachTarget(string section)
    {
        int slash = section.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? section[(slash + 1)..] : section;
    }
}
