// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>
/// What the analysis needs of a call or an ld_imm64, resolved once per function (<see cref="ControlFlowGraph.ResolvedAt"/>):
/// it depends on the object alone, not on the state. 24 bytes: a function holds one per call and ld_imm64 while
/// its graph is kept (the whole target, 96 bytes, added 7 MB to <c>check</c> at 1.6M slots).
/// </summary>
/// <param name="Kind">A call's target kind (<see cref="BpfObject.ResolveCall"/>); for an ld_imm64, the kind of the code address it loads (<see cref="BpfObject.ResolveFunctionPointer"/>).</param>
/// <param name="Section">The target's section, if any (<see cref="CallTarget.Section"/>).</param>
/// <param name="Function">The function the target starts, if any (<see cref="CallTarget.Function"/>).</param>
/// <param name="Kfunc">The session kfunc a kfunc call names, or null.</param>
/// <param name="Loaded">For an ld_imm64, the type of the value it loads (<see cref="RegValue.Of"/> of it).</param>
[StructLayout(LayoutKind.Auto)]
internal readonly record struct ResolvedInstruction(CallTargetKind Kind, CodeSection? Section, BpfFunction? Function, SessionKfunc? Kfunc, RegTypes Loaded);
