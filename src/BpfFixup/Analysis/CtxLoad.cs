// SPDX-License-Identifier: MIT
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>A load through ctx at a known offset, where the kernel's <c>check_ctx_access</c> judges it.</summary>
/// <param name="Function">The function holding the load.</param>
/// <param name="Insn">Its instruction index in the function's section.</param>
/// <param name="Offset">The ctx offset read (the register's offset plus the instruction's).</param>
/// <param name="Size">The access size in bytes.</param>
public sealed record CtxLoad(BpfFunction Function, int Insn, int Offset, int Size);
