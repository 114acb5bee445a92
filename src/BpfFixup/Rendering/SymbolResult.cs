// SPDX-License-Identifier: MIT
namespace BpfFixup.Rendering;

/// <summary>
/// A symbol an <see cref="ILlvmSymbolResolver"/> found for an operand (as iced's <c>SymbolResult</c>): its name and
/// the distance from it, printed <c>name</c>, <c>name+0x10</c> or <c>name-0x10</c>.
/// </summary>
/// <param name="Name">The symbol or label name, as given (the caller escapes the line).</param>
/// <param name="Offset">The operand's distance from the symbol, in the unit the resolver chose (bytes for llvm-objdump's jump annotation, the raw imm for an ld_imm64).</param>
public readonly record struct SymbolResult(string Name, long Offset = 0);
