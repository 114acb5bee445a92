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

    /// <summary>Only this code section (exact name); null for all.</summary>
    public string? Section { get; init; }

    /// <summary>Only functions with this name; null for all.</summary>
    public string? Program { get; init; }

    /// <summary>True when <paramref name="sectionName"/> passes the section filter.</summary>
    public bool IncludesSection(string sectionName) => Section is null || Section == sectionName;

    /// <summary>True when <paramref name="functionName"/> passes the program filter.</summary>
    public bool IncludesFunction(string functionName) => Program is null || Program == functionName;
}
