// SPDX-License-Identifier: MIT
namespace BpfFixup.Snapshots;

/// <summary>What a snapshot run does with differences.</summary>
public enum SnapshotMode
{
    /// <summary>Write missing verified files; a differing snapshot fails (its received file is written).</summary>
    Default,

    /// <summary>Only compare: a missing or differing snapshot fails and gets a received file; dangling verified files fail.</summary>
    Check,

    /// <summary>Write or overwrite verified files, delete received files and dangling verified files.</summary>
    Accept,
}
