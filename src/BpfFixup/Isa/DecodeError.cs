// SPDX-License-Identifier: MIT
namespace BpfFixup.Isa;

/// <summary>Why the instruction at <paramref name="Slot"/> does not decode to a defined instruction.</summary>
/// <param name="Slot">Slot index (8-byte units) within the decoded stream.</param>
/// <param name="Opcode">The opcode byte found there.</param>
/// <param name="Message">The reason, in the kernel's or PREVAIL's words.</param>
public readonly record struct DecodeError(int Slot, byte Opcode, string Message);
