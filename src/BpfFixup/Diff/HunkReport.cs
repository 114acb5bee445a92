// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>JSON model of one hunk. Starts are 1-based line numbers of the listing, as in the <c>@@</c> header.</summary>
public sealed class HunkReport
{
    /// <summary>1-based first line in A (the line before, for an empty range).</summary>
    public required int OldStart { get; init; }

    /// <summary>Lines of A in the hunk.</summary>
    public required int OldCount { get; init; }

    /// <summary>1-based first line in B (the line before, for an empty range).</summary>
    public required int NewStart { get; init; }

    /// <summary>Lines of B in the hunk.</summary>
    public required int NewCount { get; init; }

    /// <summary>The function the hunk is in, as the unified text shows it after <c>@@</c> (<see cref="FunctionNames"/>); absent when none.</summary>
    public string? Function { get; init; }

    /// <summary>The lines, each prefixed with ' ', '-' or '+' as in the unified text.</summary>
    public required IReadOnlyList<string> Lines { get; init; }
}
