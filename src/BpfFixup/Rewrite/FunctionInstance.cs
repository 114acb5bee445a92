// SPDX-License-Identifier: MIT
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>A function as it appears in the output: the original, or its fsession copy.</summary>
/// <param name="Function">The original function.</param>
/// <param name="IsCopy">True for the specialised copy appended to <c>.text</c>.</param>
public readonly record struct FunctionInstance(BpfFunction Function, bool IsCopy);
