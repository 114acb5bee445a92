// SPDX-License-Identifier: MIT
namespace BpfFixup.Diagnostics;

/// <summary>An ordered collection of diagnostics.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> items = [];

    /// <summary>All diagnostics in the order they were reported.</summary>
    public IReadOnlyList<Diagnostic> Items => items;

    /// <summary>True when any diagnostic is an error.</summary>
    public bool HasErrors { get; private set; }

    /// <summary>Adds one diagnostic.</summary>
    public void Add(Diagnostic diagnostic)
    {
        items.Add(diagnostic);
        HasErrors |= diagnostic.Severity == Severity.Error;
    }

    /// <summary>Adds several diagnostics.</summary>
    public void AddRange(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            Add(d);
        }
    }
}
