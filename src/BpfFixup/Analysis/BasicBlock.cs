// SPDX-License-Identifier: MIT
namespace BpfFixup.Analysis;

/// <summary>
/// A maximal straight-line run of instructions [<see cref="Start"/>, <see cref="End"/>) of one function, as
/// <see cref="ControlFlowGraph.Blocks"/> reads it back (the graph keeps its blocks as arrays).
/// </summary>
public sealed class BasicBlock
{
    /// <summary>Block number within its function's graph; 0 is the entry.</summary>
    public required int Id { get; init; }

    /// <summary>First instruction index (section-relative).</summary>
    public required int Start { get; init; }

    /// <summary>End instruction index, exclusive.</summary>
    public required int End { get; init; }

    /// <summary>
    /// The instruction the jump ending this block goes to when taken (<see cref="ControlFlowGraph.JumpTarget"/>,
    /// found once, at build), or -1: no jump, or one that leaves the function.
    /// </summary>
    public int TargetInsn { get; init; } = -1;

    /// <summary>Successor block ids: the jump's target first, then the next block (at most these two).</summary>
    public IReadOnlyList<int> Successors { get; init; } = [];

    /// <summary>True when some path from the entry reaches this block.</summary>
    public bool Reachable { get; init; }
}
