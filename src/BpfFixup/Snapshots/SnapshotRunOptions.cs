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
    /// How the directory is named in messages (default: as passed to the runner). Exception messages have
    /// the absolute directory replaced by this, keeping output free of absolute paths when the caller
    /// passes a relative name.
    /// </summary>
    public string? DisplayDirectory { get; init; }
}
