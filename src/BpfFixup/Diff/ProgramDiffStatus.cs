// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>How a program compares between listing A and listing B.</summary>
public enum ProgramDiffStatus
{
    /// <summary>In both, with equal comparison keys line for line.</summary>
    Identical,

    /// <summary>In both, with at least one differing line.</summary>
    Changed,

    /// <summary>Only in B.</summary>
    Added,

    /// <summary>Only in A.</summary>
    Removed,
}
