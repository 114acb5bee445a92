// SPDX-License-Identifier: MIT
namespace BpfFixup.Isa;

/// <summary>A decoded instruction stream with the slot index at which each instruction starts.</summary>
/// <param name="Instructions">The instructions in order.</param>
/// <param name="Slots">For each instruction, its first slot (8-byte units from the section start).</param>
/// <param name="SlotCount">Total number of slots decoded.</param>
/// <param name="Errors">Undefined encodings found, in slot order.</param>
/// <param name="Kinds">The kind of each instruction, classified once while decoding.</param>
public sealed record DecodedStream(Instruction[] Instructions, int[] Slots, int SlotCount, DecodeError[] Errors, InstructionKind[] Kinds);
