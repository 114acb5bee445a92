// SPDX-License-Identifier: MIT
namespace BpfFixup.Snapshots;

/// <summary>
/// The <see cref="StableLabels"/> of one function's jump targets as two arrays in address order: a lookup is a binary
/// search, and a walk through the function in order reads them with a cursor instead of probing for every instruction.
/// </summary>
internal sealed class FunctionLabels
{
    /// <summary>No labels (a label's own context is printed without them).</summary>
    public static readonly FunctionLabels None = new([], []);

    private readonly int[] targets;
    private readonly string[] names;

    /// <summary>Labels <paramref name="names"/> for <paramref name="targets"/> (instruction indices, ascending, no repeats).</summary>
    public FunctionLabels(int[] targets, string[] names)
    {
        this.targets = targets;
        this.names = names;
    }

    /// <summary>How many targets there are.</summary>
    public int Count => targets.Length;

    /// <summary>The k-th target in address order.</summary>
    public int TargetAt(int k) => targets[k];

    /// <summary>The k-th label in address order.</summary>
    public string NameAt(int k) => names[k];

    /// <summary>The label of target <paramref name="insn"/>, if it is one.</summary>
    public bool TryGet(int insn, out string label)
    {
        int k = Array.BinarySearch(targets, insn);
        label = k >= 0 ? names[k] : string.Empty;
        return k >= 0;
    }
}
