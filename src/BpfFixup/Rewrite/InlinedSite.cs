// SPDX-License-Identifier: MIT
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>Where an inline sequence was placed in the output.</summary>
/// <param name="Section">The code section.</param>
/// <param name="Slot">The first slot of the sequence in the output section.</param>
/// <param name="Length">Number of instructions in the sequence.</param>
/// <param name="Kfunc">The kfunc the sequence replaced.</param>
/// <param name="OriginalSlot">The slot of the replaced call in the input section.</param>
public sealed record InlinedSite(string Section, int Slot, int Length, SessionKfunc Kfunc, int OriginalSlot);
