// SPDX-License-Identifier: MIT
namespace BpfFixup.Analysis;

/// <summary>What the analysis knows about the scalar part of a value, relative to what the kernel knows.</summary>
public enum ScalarKnowledge : byte
{
    /// <summary>Nothing this analysis can vouch for: the kernel may know more (a "cannot tell").</summary>
    Imprecise = 0,
    /// <summary>On every path the value lies in [Min, Max] (signed), and the kernel knows at least that.</summary>
    Range,
    /// <summary>The kernel has no bounds at all (smin = S64_MIN, smax = S64_MAX): an unrefined 64-bit call result.</summary>
    Unbounded,
}
