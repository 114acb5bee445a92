// SPDX-License-Identifier: MIT
namespace BpfFixup.Rendering;

/// <summary>Which instruction syntax a listing uses.</summary>
public enum ListingSyntax : byte
{
    /// <summary>llvm-objdump-19 -d (anchors §5.1).</summary>
    Llvm,

    /// <summary>The kernel disassembler as bpftool prints xlated code (anchors §5.2).</summary>
    Xlated,
}
