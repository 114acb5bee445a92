// SPDX-License-Identifier: MIT
namespace BpfFixup.Rendering.Json;

/// <summary>An ELF relocation in <c>dump --json</c>.</summary>
/// <param name="Type">llvm's name, e.g. <c>R_BPF_64_32</c>.</param>
/// <param name="Symbol">The symbol's name (a section symbol's is its section's name).</param>
/// <param name="Offset">r_offset: the byte offset within the section.</param>
public sealed record DumpRelocation(string Type, string Symbol, ulong Offset);
