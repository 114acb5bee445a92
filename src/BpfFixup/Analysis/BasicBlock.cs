// SPDX-License-Identifier: MIT
namespace BpfFixup.Analysis;

/// <summary>A maximal straight-line run of instructions [<see cref="Start"/>, <see cref="End"/>) of one function.</summary>
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
    public IReadOnlyList<int> Successors => SuccessorCount switch
    {
        0 => [],
        1 => [First],
        _ => [First, Second],
    };

    /// <summary>How many successors there are (0-2): two ints, not a list per block.</summary>
    internal int SuccessorCount { get; private set; }

    /// <summary>The first successor, when there is one.</summary>
    internal int First { get; private set; }

    /// <summary>The second successor, when there are two.</summary>
    internal int Second { get; private set; }

    /// <summary>Successor <paramref name="k"/> (0 or 1, below <see cref="SuccessorCount"/>).</summary>
    internal int SuccessorAt(int k) => k == 0 ? First : Second;

    /// <summary>Adds <paramref name="block"/> as a successor unless it is one already.</summary>
    internal void AddSuccessor(int block)
    {
        if (SuccessorCount == 0)
        {
            First = block;
            SuccessorCount = 1;
        }
        else if (SuccessorCount == 1 && First != block)
        {
            Second = block;
            SuccessorCount = 2;
        }
        else if (SuccessorCount == 2 && First != block && Second != block)
        {
            throw new InvalidOperationException("a basic block has at most two successors");
        }
    }

    /// <summary>True when some path from the entry reaches this block.</summary>
    public bool Reachable { get; set; }
}
