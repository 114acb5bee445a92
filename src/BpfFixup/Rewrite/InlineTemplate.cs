// SPDX-License-Identifier: MIT
using BpfFixup.Isa;
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>The instruction sequence that replaces one session-kfunc call, with where it comes from.</summary>
/// <param name="Kfunc">The kfunc replaced.</param>
/// <param name="Instructions">The replacement, in order.</param>
/// <param name="Source">The kernel source the sequence follows.</param>
public sealed record InlineTemplate(SessionKfunc Kfunc, IReadOnlyList<Instruction> Instructions, string Source);
