// SPDX-License-Identifier: MIT
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>
/// A call context one program's analysis finished, as the next programs of the object may take it instead of running
/// its fixpoint again (<see cref="SharedContexts"/>): what it returns, the contexts it called (in the order it first
/// called them, each a record too), how many frames it and its callees need, and what its reporting pass did.
/// Only contexts whose results depend on nothing but the function and the entry arguments become records: not the
/// program's own entry, nor one that reached the frame limit, a recursion, a widened context, the fixpoint's
/// budget, or a func#N numbering of the program's image (<see cref="TypeAnalyzer"/> tells them apart).
/// </summary>
internal sealed class ContextRecord(ContextKey key, RegValue ret, ContextRecord[] callees, int height, ReportLogEntry[] effects)
{
    /// <summary>The function.</summary>
    public BpfFunction Function => Key.Function;

    /// <summary>The function and R1-R5 at entry.</summary>
    public ContextKey Key { get; } = key;

    /// <summary>R0 joined over its exits, as its callers saw it.</summary>
    public RegValue Return { get; } = ret;

    /// <summary>The contexts it called, in the order of the first call to each.</summary>
    public ContextRecord[] Callees { get; } = callees;

    /// <summary>The frames it needs: 1 for itself, plus the tallest of its callees' (whether or not they were analysed within it).</summary>
    public int Height { get; } = height;

    /// <summary>Its reporting pass's diagnostics, ctx loads and call-site observations, in order (no returns: they change nothing once it has converged).</summary>
    public ReportLogEntry[] Effects { get; } = effects;

    /// <summary>
    /// For each of <see cref="Effects"/>, the position of its call site in <see cref="BpfObject.SessionCallSites"/>, -1 for
    /// an effect that is no call-site observation: found when the record is first adopted, so the programs that take it
    /// after do not search for each site again.
    /// </summary>
    public int[]? SitePositions { get; set; }

    /// <summary>The context every program that takes this record uses (<see cref="TypeAnalyzer"/>'s Adopt), made when first taken.</summary>
    internal TypeAnalyzer.Context? Adopted { get; set; }
}
