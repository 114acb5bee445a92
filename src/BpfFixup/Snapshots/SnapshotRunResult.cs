// SPDX-License-Identifier: MIT
using System.Text;

namespace BpfFixup.Snapshots;

/// <summary>The structured result of a snapshot run, for a CLI or a test helper to print.</summary>
public sealed class SnapshotRunResult
{
    /// <summary>The mode used, after the environment.</summary>
    public required SnapshotMode Mode { get; init; }

    /// <summary>Per entry, ordered by file name (ordinal).</summary>
    public required IReadOnlyList<SnapshotEntryResult> Entries { get; init; }

    /// <summary>Dangling verified files (names, ordinal order); in Accept mode these were deleted.</summary>
    public required IReadOnlyList<string> Dangling { get; init; }

    /// <summary>File names several entries mapped to; those entries were not written.</summary>
    public required IReadOnlyList<SnapshotCollision> Collisions { get; init; }

    /// <summary>Run-level problems (directory unusable, listing failed).</summary>
    public required IReadOnlyList<string> Errors { get; init; }

    /// <summary>Notes from mode resolution.</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>Whether dangling files fail the run (Check mode).</summary>
    public bool DanglingIsFailure => Mode == SnapshotMode.Check && Dangling.Count > 0;

    /// <summary>All entry diffs, concatenated in entry order.</summary>
    public string Diffs
    {
        get
        {
            var sb = new StringBuilder();
            foreach (var e in Entries)
            {
                sb.Append(e.Diff);
            }

            return sb.ToString();
        }
    }

    /// <summary>
    /// 2 when something went wrong (errors, collisions, entry errors), else 1 when snapshots do not match
    /// (mismatched, missing, or dangling in Check mode), else 0.
    /// </summary>
    public int ExitCode
    {
        get
        {
            if (Errors.Count > 0 || Collisions.Count > 0 || Entries.Any(e => e.Outcome == SnapshotOutcome.Error))
            {
                return 2;
            }

            return Entries.Any(e => e.IsFailure) || DanglingIsFailure ? 1 : 0;
        }
    }

    /// <summary>Whether <see cref="ExitCode"/> is 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>
    /// The line that tells what to do after a failed comparison, naming <paramref name="directory"/> (as the user gave
    /// it): review, then accept with <c>--accept</c>. Null when nothing is left to accept (all matched or created, or
    /// the run failed for another reason, which its errors explain).
    /// </summary>
    /// <param name="directory">The snapshot directory as shown to the user.</param>
    public string? NextStep(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (ExitCode != 1 || Mode == SnapshotMode.Accept)
        {
            return null;
        }

        int differing = Entries.Count(e => e.IsFailure);
        var what = new List<string>();
        if (differing > 0)
        {
            what.Add($"write the {differing} received snapshot(s) into {directory} as verified");
        }

        if (DanglingIsFailure)
        {
            what.Add($"delete the {Dangling.Count} dangling one(s)");
        }

        string review = differing > 0 ? "review the diffs above; if the change is intended, " : string.Empty;
        return $"next step: {review}run the same command with --accept to {string.Join(" and ", what)}";
    }

    /// <summary>A plain report: one line per non-matching entry and dangling file, then notes, errors and diffs.</summary>
    /// <param name="includeErrors">False to leave out errors (entry errors and run errors), for a caller that reports them elsewhere once.</param>
    public string Describe(bool includeErrors = true)
    {
        var sb = new StringBuilder();
        foreach (var e in Entries)
        {
            if (e.Outcome != SnapshotOutcome.Matched && (includeErrors || e.Outcome != SnapshotOutcome.Error))
            {
                sb.Append(e.Outcome.ToString().ToLowerInvariant()).Append(": ").Append(e.FileName);
                if (e.ReceivedFileName is not null)
                {
                    sb.Append(" (received: ").Append(e.ReceivedFileName).Append(')');
                }

                if (e.Error is not null)
                {
                    sb.Append(": ").Append(e.Error);
                }

                sb.Append('\n');
            }
        }

        foreach (var d in Dangling)
        {
            sb.Append(Mode == SnapshotMode.Accept ? "deleted dangling: " : "dangling: ").Append(d).Append('\n');
        }

        foreach (var c in includeErrors ? Collisions : [])
        {
            sb.Append("collision: ").Append(c.FileName).Append(" <- ").AppendJoin(", ", c.Keys).Append('\n');
        }

        foreach (var line in includeErrors ? Notes.Concat(Errors) : Notes)
        {
            sb.Append(line).Append('\n');
        }

        return sb.Append(Diffs).ToString();
    }
}
