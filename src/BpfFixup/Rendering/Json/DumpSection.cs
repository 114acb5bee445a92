// SPDX-License-Identifier: MIT
namespace BpfFixup.Rendering.Json;

/// <summary>One code section in <c>dump --json</c>.</summary>
/// <param name="Name">The ELF section name.</param>
/// <param name="ProgramType">libbpf's program type for the section name (<c>tracing</c>), or null for .text or unknown names.</param>
/// <param name="AttachType">libbpf's expected attach type (<c>trace_fsession</c>), or null.</param>
/// <param name="Instructions">The instructions of the listed functions, in order.</param>
public sealed record DumpSection(string Name, string? ProgramType, string? AttachType, IReadOnlyList<DumpInstruction> Instructions);
