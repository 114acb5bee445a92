// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>
/// The <see cref="FunctionNames.Index"/> of each program of one diff, made from the function lines of its runs
/// (<see cref="ProgramListing.Segments"/>), each run searched once: a subprogram shared by thousands of programs was
/// searched line by line again for each of them. The index is the one of the program's lines (the runs in order,
/// their function lines at their offsets), so the names are the same.
/// </summary>
internal sealed class FunctionLines
{
    private readonly Dictionary<object, (int[] At, string[] Names)> byRun = new(ReferenceEqualityComparer.Instance);

    /// <summary>The index of <paramref name="program"/>'s lines (none for a missing side).</summary>
    public FunctionNames.Index Of(ProgramListing? program)
    {
        if (program is null)
        {
            return new FunctionNames.Index([]);
        }

        if (!program.HasSegments || program.Segments!.Sum(s => (long)s.Count) != program.Lines.Count)
        {
            return new FunctionNames.Index(ListingUnifiedWriter.Texts(program));
        }

        var at = new List<int>();
        var names = new List<string>();
        int offset = 0;
        foreach (var run in program.Segments!)
        {
            if (!byRun.TryGetValue(run, out var found))
            {
                byRun[run] = found = Find(run);
            }

            for (int k = 0; k < found.At.Length; k++)
            {
                at.Add(offset + found.At[k]);
                names.Add(found.Names[k]);
            }

            offset += run.Count;
        }

        return new FunctionNames.Index(at, names);
    }

    private static (int[] At, string[] Names) Find(IReadOnlyList<ListingLine> run)
    {
        var at = new List<int>();
        var names = new List<string>();
        for (int i = 0; i < run.Count; i++)
        {
            if (FunctionNames.Of(run[i].Text) is { } name)
            {
                at.Add(i);
                names.Add(name);
            }
        }

        return ([.. at], [.. names]);
    }
}
