// SPDX-License-Identifier: MIT
namespace BpfFixup.Isa;

/// <summary>Questions about an <see cref="InstructionKind"/>.</summary>
public static class InstructionKindExtensions
{
    /// <summary>True for the kinds that transfer control to a pc-relative target inside the function (RFC 9669 §4.3).</summary>
    public static bool IsJump(this InstructionKind kind) =>
        kind is InstructionKind.ConditionalJump or InstructionKind.Goto or InstructionKind.GotoLong or InstructionKind.MayGoto;
}
