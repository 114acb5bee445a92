// SPDX-License-Identifier: MIT
using BpfFixup.Isa;

namespace BpfFixup.Rendering;

/// <summary>
/// Names operands for <see cref="LlvmInstructionFormatter"/>, the role of iced's <c>ISymbolResolver</c>: the formatter
/// asks for a symbol where an operand is an address or a value a relocation gives, and prints it in the
/// <see cref="LlvmSymbolStyle"/> it was given, so that no caller edits formatted text. A resolver that knows the
/// instruction's position (the formatter does not) is told it before each call, as <see cref="ObjectSymbolResolver"/> is.
/// Every method returns false to keep the formatter's own text.
/// </summary>
public interface ILlvmSymbolResolver
{
    /// <summary>The symbol at the target of jump <paramref name="insn"/> (<c>goto</c>, <c>gotol</c>, <c>may_goto</c>, <c>if … goto</c>).</summary>
    bool TryGetBranchSymbol(in Instruction insn, out SymbolResult symbol);

    /// <summary>The callee of <c>call</c> <paramref name="insn"/> (a helper, kfunc or subprogram), printed in place of its imm.</summary>
    bool TryGetCallSymbol(in Instruction insn, out SymbolResult symbol);

    /// <summary>
    /// The symbol ld_imm64 <paramref name="insn"/> loads (from its relocation), printed as <c>rN = name ll</c>
    /// in place of the value. A named value is printed in that form whatever its <c>src_reg</c> and reserved
    /// <c>off</c> hold: the relocation, not the encoding, says what the value is.
    /// </summary>
    bool TryGetImm64Symbol(in Instruction insn, out SymbolResult symbol);
}
