// SPDX-License-Identifier: MIT
namespace BpfFixup.Rendering;

/// <summary>What <see cref="ListingWriter"/> prints and which parts of the object it covers.</summary>
public sealed record ListingOptions
{
    /// <summary>Instruction syntax.</summary>
    public ListingSyntax Syntax { get; init; } = ListingSyntax.Llvm;

    /// <summary>Print the raw instruction bytes between the index and the text (llvm-objdump's default).</summary>
    public bool ShowRawBytes { get; init; } = true;

    /// <summary>Print the BTF line_info source line before each instruction where a record starts.</summary>
    public bool ShowSource { get; init; }

    /// <summary>
    /// Print the relocation and <c>CO-RE</c> lines after their instructions (<c>llvm-objdump -dr</c>; without them,
    /// <c>-d</c>).
    /// </summary>
    public bool ShowRelocations { get; init; } = true;

    /// <summary>
    /// Print BpfFixup's own annotations: the <c>; prog_type=…</c> comment on a program's header and the
    /// <c>; session kfunc …</c> line after each session-kfunc call. Without them the text is llvm-objdump's.
    /// </summary>
    public bool ShowAnnotations { get; init; } = true;

    /// <summary>Only the code sections with these exact names; null for all.</summary>
    public IReadOnlyCollection<string>? Sections { get; init; }

    /// <summary>Only the functions with these names; null for all.</summary>
    public IReadOnlyCollection<string>? Programs { get; init; }

    /// <summary>Only the code section with this exact name (one of <see cref="Sections"/>); null for all.</summary>
    public string? Section { get => Sections?.FirstOrDefault(); init => Sections = value is null ? null : [value]; }

    /// <summary>Only the functions with this name (one of <see cref="Programs"/>); null for all.</summary>
    public string? Program { get => Programs?.FirstOrDefault(); init => Programs = value is null ? null : [value]; }

    /// <summary>True when <paramref name="sectionName"/> passes the section filter.</summary>
    public bool IncludesSection(string sectionName) => Sections is null || Sections.Contains(sectionName);

    /// <summary>True when <paramref name="functionName"/> passes the program filter.</summary>
    public bool IncludesFunction(string functionName) => Programs is null || Programs.Contains(functionName);
}
