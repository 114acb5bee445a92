// SPDX-License-Identifier: MIT
namespace BpfFixup.Rendering.Json;

/// <summary>The JSON form of one object in <c>bpffixup dump --json</c>.</summary>
/// <param name="File">The file name as given on the command line.</param>
/// <param name="ByteOrder"><c>little</c> or <c>big</c>.</param>
/// <param name="Sections">The code sections listed (after filters).</param>
public sealed record DumpDocument(string File, string ByteOrder, IReadOnlyList<DumpSection> Sections);
