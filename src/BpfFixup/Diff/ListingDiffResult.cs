// SPDX-License-Identifier: MIT
using System.Text.Json;
using BpfFixup.IO;

namespace BpfFixup.Diff;

/// <summary>The result of <see cref="ListingDiff.Compare"/>: per-program comparisons and their renderings.</summary>
public sealed class ListingDiffResult
{
    private static readonly ListingDiffJsonContext JsonContext = new(ReadableJson.From(ListingDiffJsonContext.Default.Options));

    internal ListingDiffResult(string oldFile, string newFile, IReadOnlyList<ProgramDiff> programs)
    {
        OldFile = oldFile;
        NewFile = newFile;
        Programs = programs;
        foreach (var p in programs)
        {
            HasDifferences |= p.Status != ProgramDiffStatus.Identical;
        }
    }

    /// <summary>Display name of file A.</summary>
    public string OldFile { get; }

    /// <summary>Display name of file B.</summary>
    public string NewFile { get; }

    /// <summary>Every program key of A and B, ordered by key (ordinal).</summary>
    public IReadOnlyList<ProgramDiff> Programs { get; }

    /// <summary>Whether any program changed, was added or was removed.</summary>
    public bool HasDifferences { get; }

    /// <summary>
    /// The unified diff: for each changed, added or removed program, its header lines, then
    /// <c>--- a.o:section/name</c> / <c>+++ b.o:section/name</c> (<c>/dev/null</c> for a missing side)
    /// and hunks. Identical programs print nothing, so identical inputs give an empty string.
    /// </summary>
    /// <param name="color">In git's colours (<see cref="DiffColors"/>).</param>
    public string RenderUnified(bool color = false) => ListingUnifiedWriter.Render(this, color);

    /// <summary>Writes <see cref="RenderUnified"/>'s text to <paramref name="output"/> without building it whole first.</summary>
    /// <param name="output">Where the diff goes.</param>
    /// <param name="color">In git's colours (<see cref="DiffColors"/>).</param>
    public void WriteUnified(TextWriter output, bool color = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        ListingUnifiedWriter.Write(this, color, output);
    }

    /// <summary>git's <c>--stat</c> (see <see cref="DiffStat"/>).</summary>
    /// <param name="color">Colour the graph as git does.</param>
    public string RenderDiffStat(bool color = false) => DiffStat.Render(this, color);

    /// <summary>The veristat comparison table (see <see cref="StatTable"/>).</summary>
    public string RenderStatTable() => StatTable.Render(this);

    /// <summary>The veristat comparison CSV (see <see cref="StatTable"/>).</summary>
    public string RenderStatCsv() => StatTable.RenderCsv(this);

    /// <summary>The tool-facing model of this result.</summary>
    public ListingDiffReport ToReport() => ListingDiffReportBuilder.Build(this);

    /// <summary>The JSON form of <see cref="ToReport"/> (indented, LF, camelCase; source-generated, AOT-safe).</summary>
    public string ToJson() => JsonSerializer.Serialize(ToReport(), JsonContext.ListingDiffReport);
}
