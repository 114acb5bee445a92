// SPDX-License-Identifier: MIT
namespace BpfFixup.Diagnostics;

/// <summary>
/// Keeps one of each finding the programs of an object share. The kernel verifies each program with its own copy of
/// the subprograms it calls (one verifier log per bpf_prog_load; libbpf bpf_object__reloc_code appends them), so a
/// finding in a shared subprogram is found once per program that reaches it: 78 programs and 16,000 bad sites in one
/// subprogram were 2.5 million lines. A diagnostic in a function other than the program's own entry, equal to one
/// already reported for an earlier program of the object in everything but its program (<see cref="SameFinding"/>:
/// id, severity, message, file, section, function, index, file offset, source) is not kept again; instead each later program gets one <see cref="DiagnosticIds.Repeated"/>
/// note per function (and earlier program) whose findings it repeats, <c>N diagnostic(s) in sub as reported for
/// program p0</c>. So the report grows with the distinct findings and the (program, function) pairs, not with their
/// product; unlike a count limit (clang -ferror-limit, gcc -fmax-errors) nothing but exact copies is dropped. Verdicts
/// do not depend on which program a diagnostic names (docs/diagnostics.md, "Shared subprograms").
/// </summary>
public sealed class RepeatedDiagnostics
{
    private readonly HashSet<Diagnostic> reported = new(SameFinding.Instance);
    private readonly HashSet<Diagnostic> repeatedNow = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(string? Section, string? Function, string Program), int> counts = [];
    private readonly List<(string? Section, string? Function, string Program)> order = [];

    /// <summary>
    /// Adds <paramref name="d"/>, found while verifying <paramref name="program"/>, to <paramref name="target"/> (with
    /// <see cref="Diagnostic.Program"/> set to it), unless an earlier program's report holds the same finding: then it
    /// is counted for the note <see cref="EndProgram"/> adds.
    /// </summary>
    /// <param name="target">The object's diagnostics.</param>
    /// <param name="d">The finding.</param>
    /// <param name="program">The program being verified.</param>
    public void Add(List<Diagnostic> target, Diagnostic d, string program)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(d);
        // A finding in the program's own function (or in none) is its own: only a subprogram's can repeat, so only
        // those are remembered (a rejected object's 124k site errors in its programs' own code need no set).
        if (d.Function is null || d.Function == program)
        {
            target.Add(d.Program == program ? d : d with { Program = program });
            return;
        }

        if (reported.TryGetValue(d, out var first) && first.Program != program)
        {
            if (repeatedNow.Add(first))
            {
                var key = (first.Section, first.Function, first.Program!);
                if (!counts.TryAdd(key, 1))
                {
                    counts[key]++;
                }
                else
                {
                    order.Add(key);
                }
            }

            return;
        }

        var kept = d.Program == program ? d : d with { Program = program };
        reported.Add(kept);
        target.Add(kept);
    }

    /// <summary>Adds the notes for what <paramref name="program"/> repeated (one per function and earlier program, in the order first met) and starts the next program.</summary>
    /// <param name="target">The object's diagnostics.</param>
    /// <param name="file">The object's file name.</param>
    /// <param name="program">The program just verified.</param>
    public void EndProgram(List<Diagnostic> target, string? file, string program)
    {
        ArgumentNullException.ThrowIfNull(target);
        foreach (var key in order)
        {
            target.Add(Note(file, key.Section, key.Function, program, key.Program, counts[key]));
        }

        order.Clear();
        counts.Clear();
        repeatedNow.Clear();
    }

    /// <summary>The note that <paramref name="count"/> findings of <paramref name="program"/> in <paramref name="function"/> are those reported for <paramref name="reportedFor"/>.</summary>
    public static Diagnostic Note(string? file, string? section, string? function, string program, string reportedFor, int count) => new()
    {
        Id = DiagnosticIds.Repeated,
        Severity = Severity.Note,
        Message = $"{count} diagnostic(s) in {function ?? section} as reported for program {reportedFor}",
        File = file,
        Section = section,
        Function = function,
        Program = program,
    };

    /// <summary>Equal in everything but the program: the same finding at the same place.</summary>
    public sealed class SameFinding : IEqualityComparer<Diagnostic>
    {
        /// <summary>The comparer.</summary>
        public static SameFinding Instance { get; } = new();

        /// <inheritdoc />
        public bool Equals(Diagnostic? x, Diagnostic? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null
                && x.Index == y.Index && x.Id == y.Id && x.Severity == y.Severity && x.Message == y.Message
                && x.Function == y.Function && x.Section == y.Section && x.File == y.File && x.FileOffset == y.FileOffset
                && Equals(x.Source, y.Source));

        /// <inheritdoc />
        public int GetHashCode(Diagnostic obj)
        {
            ArgumentNullException.ThrowIfNull(obj);
            return HashCode.Combine(obj.Index, obj.Id, obj.Message, obj.Function, obj.Section);
        }
    }
}
