// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;

namespace BpfFixup.Rewrite;

/// <summary>The outcome of the fixup on one object.</summary>
public sealed record RewriteResult
{
    /// <summary>The analysis it was based on.</summary>
    public required AnalysisResult Analysis { get; init; }

    /// <summary>The patched object's bytes, or null when errors prevent writing (or only the verdict was asked for: <c>FixupPipeline.Verify</c>).</summary>
    public byte[]? Output { get; init; }

    /// <summary>Analysis and rewrite diagnostics.</summary>
    public required IReadOnlyList<Diagnostic> Diagnostics { get; init; }

    /// <summary>Where inline sequences were placed, in output order.</summary>
    public IReadOnlyList<InlinedSite> Inlined { get; init; } = [];

    /// <summary>Where each instruction of the output came from; null when the output is the input (every instruction its own origin) or none was made.</summary>
    public InstructionMap? Map { get; init; }

    /// <summary>What was done.</summary>
    public RewriteSummary? Summary { get; init; }

    /// <summary>True when any diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}
