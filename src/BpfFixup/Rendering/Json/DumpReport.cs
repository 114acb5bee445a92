// SPDX-License-Identifier: MIT
namespace BpfFixup.Rendering.Json;

/// <summary>The document of <c>bpffixup dump --json</c>: the same shape for one input or several.</summary>
/// <param name="SchemaVersion"><see cref="IO.JsonDocuments.SchemaVersion"/>.</param>
/// <param name="Objects">One entry per input, in the order given.</param>
public sealed record DumpReport(int SchemaVersion, IReadOnlyList<DumpDocument> Objects);
