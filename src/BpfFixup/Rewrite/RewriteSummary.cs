// SPDX-License-Identifier: MIT
namespace BpfFixup.Rewrite;

/// <summary>Counts describing one rewrite, for the one-line summary and the JSON report.</summary>
public sealed record RewriteSummary
{
    /// <summary>bpf_session_is_return calls inlined.</summary>
    public int IsReturnInlined { get; init; }

    /// <summary>bpf_session_cookie calls inlined.</summary>
    public int CookieInlined { get; init; }

    /// <summary>Session calls kept (kprobe.session / uprobe.session, or unreached).</summary>
    public int Kept { get; init; }

    /// <summary>True when <c>--kernel-inlines</c> was given.</summary>
    public bool KernelInlines { get; init; }

    /// <summary>Helper calls inlined as do_misc_fixups does for tracing programs (<c>--kernel-inlines</c>).</summary>
    public int HelpersInlined { get; init; }

    /// <summary>Calls of those helpers in tracing programs kept (the tp_btf forms need the tracepoint's BTF; programs sharing code need different sequences).</summary>
    public int HelpersKept { get; init; }

    /// <summary>Names of subprograms specialised for fsession callers, with their copies' names.</summary>
    public IReadOnlyList<(string Original, string Copy)> Specialised { get; init; } = [];

    /// <summary>Names of DWARF sections dropped.</summary>
    public IReadOnlyList<string> DroppedSections { get; init; } = [];

    /// <summary>Instruction slots in all code sections before.</summary>
    public int SlotsBefore { get; init; }

    /// <summary>Instruction slots in all code sections after.</summary>
    public int SlotsAfter { get; init; }

    /// <summary>True when the output is the input, byte for byte.</summary>
    public bool Unchanged { get; init; }

    /// <summary>The ABI used.</summary>
    public required string Abi { get; init; }

    /// <summary>One line: <c>x.o: inlined 3 (2 is_return, 1 cookie), kept 1, ...</c>.</summary>
    public string Describe(string file)
    {
        if (Unchanged)
        {
            return $"{file}: nothing to inline; written unchanged ({Kept} session call(s) kept)";
        }

        var parts = new List<string>
        {
            $"inlined {IsReturnInlined + CookieInlined} session call(s) ({IsReturnInlined} bpf_session_is_return, {CookieInlined} bpf_session_cookie) for {Abi}",
            $"kept {Kept}",
        };
        if (KernelInlines)
        {
            parts.Add($"inlined {HelpersInlined} helper call(s) as the kernel does, kept {HelpersKept}");
        }

        if (Specialised.Count > 0)
        {
            parts.Add($"specialised {string.Join(", ", Specialised.Select(s => $"{s.Original} -> {s.Copy}"))}");
        }

        if (DroppedSections.Count > 0)
        {
            parts.Add($"dropped {DroppedSections.Count} stale DWARF section(s)");
        }

        parts.Add($"{SlotsBefore} -> {SlotsAfter} slots");
        return $"{file}: {string.Join("; ", parts)}";
    }
}
