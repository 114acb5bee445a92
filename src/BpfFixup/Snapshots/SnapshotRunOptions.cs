// SPDX-License-Identifier: MIT
using BpfFixup.Diff;

namespace BpfFixup.Snapshots;

/// <summary>Options of <see cref="SnapshotRunner.Run"/>.</summary>
public sealed record SnapshotRunOptions
{
    /// <summary>The requested mode, before the environment is applied (<see cref="SnapshotModeResolver"/>).</summary>
    public SnapshotMode Mode { get; init; } = SnapshotMode.Default;

    /// <summary>Environment lookup (<c>BPFFIXUP_ACCEPT</c>, <c>CI</c>); null means none is consulted.</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>Context lines in the diffs.</summary>
    public int ContextLines { get; init; } = StreamDiffer.DefaultContext;

    /// <summary>
    /// Sanitised object stems this run owns, for dangling detection: a <c>*.verified.txt</c> file in the
    /// directory is dangling when <see cref="SnapshotNaming.TryParseVerified"/> gives a stem in this set and
    /// no entry produced it. Null means "the stems of this run's entries"; pass the stems of all input
    /// objects to also catch an object whose programs all disappeared. An empty set disables the check
    /// (e.g. for directories whose names do not follow <see cref="SnapshotNaming.VerifiedFileName"/>).
    /// Files of other objects (<c>b.*</c> in a run over <c>a.o</c>) are never dangling.
    /// </summary>
    public IReadOnlyCollection<string>? ObjectStems { get; init; }

    /// <summary>
    /// The owners (<see cref="SnapshotOwner"/>) of this run's objects. When set, a dangling candidate is only one
    /// whose header names one of them: <c>d2/x.o</c> never deletes the files of <c>d1/x.o</c>. Null means the
    /// owners of this run's entries (none when the entries have none: then the stem alone decides).
    /// </summary>
    public IReadOnlyCollection<string>? Owners { get; init; }

    /// <summary>
    /// The input files: checked with <see cref="IO.OutputPlan"/> before anything is written, so that no snapshot
    /// file is an input (or a device, FIFO or directory). Null skips the input check.
    /// </summary>
    public IReadOnlyList<string>? Inputs { get; init; }

    /// <summary>
    /// How the directory is named in messages (default: as passed to the runner). Exception messages have
    /// the absolute directory replaced by this, keeping output free of absolute paths when the caller
    /// passes a relative name.
    /// </summary>
    public string? DisplayDirectory { get; init; }
}
