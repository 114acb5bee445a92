// SPDX-License-Identifier: MIT
namespace BpfFixup.Rendering;

/// <summary>How <see cref="LlvmInstructionFormatter"/> prints an operand its <see cref="ILlvmSymbolResolver"/> named.</summary>
public enum LlvmSymbolStyle
{
    /// <summary>
    /// The instruction's text is kept and the symbol follows it in angle brackets, as llvm-objdump annotates a jump:
    /// <c>goto +0x3 &lt;LBB0_2+0x8&gt;</c> (llvm/tools/llvm-objdump/llvm-objdump.cpp, <c>disassembleObject</c>).
    /// </summary>
    Annotate,

    /// <summary>The symbol replaces the operand: <c>goto .L0</c>, <c>call bpf_session_cookie</c>, <c>r1 = my_map ll</c>.</summary>
    Replace,
}
