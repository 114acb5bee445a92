// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>What one run of an edit script does.</summary>
public enum EditKind
{
    /// <summary>Lines present, equal, in both sequences.</summary>
    Equal,

    /// <summary>Lines of the old sequence (A) that are not in the new one.</summary>
    Delete,

    /// <summary>Lines of the new sequence (B) that are not in the old one.</summary>
    Insert,
}
