// SPDX-License-Identifier: MIT
namespace BpfFixup.Snapshots;

/// <summary>What happened to one snapshot entry.</summary>
public enum SnapshotOutcome
{
    /// <summary>The verified file equals the content.</summary>
    Matched,

    /// <summary>The verified file was missing and was written (Default mode).</summary>
    Created,

    /// <summary>The verified file differs; a received file was written. A failure.</summary>
    Mismatched,

    /// <summary>The verified file is missing (Check mode); a received file was written. A failure.</summary>
    Missing,

    /// <summary>The verified file was written or overwritten (Accept mode).</summary>
    Accepted,

    /// <summary>The entry could not be processed (invalid name, collision, I/O error); see the error.</summary>
    Error,
}
