// SPDX-License-Identifier: MIT
namespace BpfFixup.Rendering;

/// <summary>Which instruction syntax a listing uses.</summary>
public enum ListingSyntax : byte
{
    /// <summary>llvm-objdump-19 -d (llvm/tools/llvm-objdump/llvm-objdump.cpp, llvm/lib/Target/BPF/MCTargetDesc/BPFInstPrinter.cpp).</summary>
    Llvm,

    /// <summary>The kernel disassembler as bpftool prints xlated code (kernel/bpf/disasm.c, bpftool's xlated_dumper.c).</summary>
    Xlated,
}
