// SPDX-License-Identifier: MIT
namespace BpfFixup.Rendering.Json;

/// <summary>One instruction in <c>dump --json</c>.</summary>
/// <param name="Index">The slot index within the section (ld_imm64 takes two).</param>
/// <param name="Bytes">The instruction's 8 or 16 bytes as in the file, lowercase hex, no spaces.</param>
/// <param name="Llvm">llvm-objdump-19 text, with the jump annotation.</param>
/// <param name="Xlated">Kernel disassembler text, calls named from relocations.</param>
/// <param name="Function">The function holding it.</param>
/// <param name="Relocation">The ELF relocation on it, or null.</param>
/// <param name="Kfunc">The session kfunc it calls, or null.</param>
/// <param name="Source">The line_info record starting at it, or null.</param>
/// <param name="CoRe">CO-RE relocations on it, as llvm-objdump prints them after <c>CO-RE </c>; null when none.</param>
public sealed record DumpInstruction(
    int Index,
    string Bytes,
    string Llvm,
    string Xlated,
    string Function,
    DumpRelocation? Relocation,
    string? Kfunc,
    SourcePosition? Source,
    IReadOnlyList<string>? CoRe);
