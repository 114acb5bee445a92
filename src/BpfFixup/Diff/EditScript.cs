// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>
/// An edit script turning sequence A into sequence B: runs in order, covering all of A and B. It is minimal
/// unless finding the minimum would cost too much (see <c>MyersDiff</c>: git's xdiff bounds).
/// Within one change, deletions come before insertions (the order unified diffs print them in).
/// </summary>
public sealed class EditScript
{
    internal EditScript(IReadOnlyList<EditRun> runs, int oldLength, int newLength)
    {
        Runs = runs;
        OldLength = oldLength;
        NewLength = newLength;
        // By index: a foreach over the interface boxes an enumerator per script, and a fixup diff makes one per stretch.
        for (int i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            if (run.Kind == EditKind.Delete)
            {
                Deletions += run.Count;
            }
            else if (run.Kind == EditKind.Insert)
            {
                Insertions += run.Count;
            }
        }
    }

    /// <summary>The runs, in order.</summary>
    public IReadOnlyList<EditRun> Runs { get; }

    /// <summary>Length of A.</summary>
    public int OldLength { get; }

    /// <summary>Length of B.</summary>
    public int NewLength { get; }

    /// <summary>Number of deleted lines.</summary>
    public int Deletions { get; }

    /// <summary>Number of inserted lines.</summary>
    public int Insertions { get; }

    /// <summary>Deletions plus insertions: the edit distance (no substitutions) where the script is minimal.</summary>
    public int EditCount => Deletions + Insertions;

    /// <summary>Whether A and B differ.</summary>
    public bool HasChanges => EditCount != 0;

    /// <summary>
    /// Applies the script to <paramref name="oldItems"/>, taking inserted items from <paramref name="newItems"/>:
    /// the result equals B. Used by tests and tools that replay a diff.
    /// </summary>
    /// <typeparam name="T">Item type.</typeparam>
    /// <param name="oldItems">Sequence A.</param>
    /// <param name="newItems">Sequence B (source of inserted items).</param>
    /// <returns>The edited sequence.</returns>
    public List<T> Apply<T>(IReadOnlyList<T> oldItems, IReadOnlyList<T> newItems)
    {
        var result = new List<T>(NewLength);
        foreach (var run in Runs)
        {
            switch (run.Kind)
            {
                case EditKind.Equal:
                    for (var i = 0; i < run.Count; i++)
                    {
                        result.Add(oldItems[run.OldIndex + i]);
                    }

                    break;
                case EditKind.Insert:
                    for (var i = 0; i < run.Count; i++)
                    {
                        result.Add(newItems[run.NewIndex + i]);
                    }

                    break;
                default:
                    break;
            }
        }

        return result;
    }
}
