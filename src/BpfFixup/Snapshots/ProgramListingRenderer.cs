// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Diff;
using BpfFixup.Isa;
using BpfFixup.Model;
using BpfFixup.Rendering;
using BpfFixup.Rewrite;
using BpfFixup.Text;

namespace BpfFixup.Snapshots;

/// <summary>
/// Renders each program (with the subprograms it reaches) as a review-friendly listing: no instruction
/// indices, jump targets as labels (PREVAIL's idea), calls and relocated loads by symbol name, helpers by
/// name, inlined sites marked with the kfunc they replaced, and BTF source lines as comments. One inserted
/// instruction changes one line, not every later jump.
/// </summary>
public static class ProgramListingRenderer
{
    /// <summary>Listings of every program of <paramref name="obj"/>, in section order.</summary>
    public static IReadOnlyList<ProgramListing> Render(BpfObject obj, IReadOnlyCollection<InlinedSite>? inlined = null, bool withSource = true) =>
        Render(obj, inlined, withSource, null, null);

    /// <summary>
    /// <see cref="Render(BpfObject, IReadOnlyCollection{InlinedSite}?, bool)"/>, also giving for each listing the anchor of
    /// each line: <paramref name="anchorOf"/> of the instruction a line shows (code section ordinal, instruction index),
    /// or -1 for a line that shows none (a label, a comment, a function's name); one array per function of the listing,
    /// in order, shared by the listings that show the function.
    /// </summary>
    internal static IReadOnlyList<ProgramListing> Render(BpfObject obj, IReadOnlyCollection<InlinedSite>? inlined, bool withSource,
        Func<int, int, long>? anchorOf, List<IReadOnlyList<long[]>>? anchors)
    {
        var marks = new Dictionary<string, Dictionary<int, InlinedSite>>(StringComparer.Ordinal);
        foreach (var site in inlined ?? [])
        {
            if (!marks.TryGetValue(site.Section, out var bySlot))
            {
                bySlot = [];
                marks[site.Section] = bySlot;
            }

            bySlot[site.Slot] = site;
        }

        var graph = new CallGraph(obj);
        var result = new List<ProgramListing>(obj.Programs.Count);
        // A subprogram is rendered once, however many programs reach it.
        var rendered = new Dictionary<BpfFunction, (List<ListingLine> Lines, long[]? Anchors)>();
        var ordinals = anchorOf is null ? null : obj.CodeSections.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i);
        foreach (var program in obj.Programs)
        {
            var lines = new List<ListingLine>();
            var programAnchors = anchorOf is null ? null : new List<long[]>(); // a function's anchors are shared, as its lines are
            int count = 0;
            foreach (var fn in graph.Reachable(program))
            {
                count += fn.Length;
                if (!rendered.TryGetValue(fn, out var fnLines))
                {
                    var fnLineList = new List<ListingLine>();
                    var instructionLines = anchorOf is null ? null : new List<int>(fn.Length);
                    RenderFunction(obj, fn, marks, withSource, fnLineList, instructionLines);
                    long[]? a = null;
                    if (anchorOf is not null)
                    {
                        // Instruction fn.StartInsn + k is shown on line instructionLines[k]; the other lines show none.
                        a = new long[fnLineList.Count];
                        Array.Fill(a, -1L);
                        int ordinal = ordinals![fn.Section];
                        for (int k = 0; k < instructionLines!.Count; k++)
                        {
                            a[instructionLines[k]] = anchorOf(ordinal, fn.StartInsn + k);
                        }
                    }

                    fnLines = (fnLineList, a);

                    rendered[fn] = fnLines;
                }

                lines.AddRange(fnLines.Lines);
                programAnchors?.Add(fnLines.Anchors!);
            }

            result.Add(new ProgramListing(program.Section.Name, program.Name, lines, count));
            anchors?.Add(programAnchors ?? []);
        }

        return result;
    }

    /// <summary>The header of a snapshot file; its first line names the owner (<see cref="SnapshotOwner"/>, default the file name).</summary>
    public static IReadOnlyList<string> Header(BpfObject obj, BpfFunction program, string abi, string? owner = null) =>
    [
        SnapshotOwner.Prefix + (owner ?? Path.GetFileName(obj.FileName)),
        $"program: {program.Name}",
        $"section: {program.Section.Name}",
        $"type: {(program.Definition is { } d ? $"{TypeNames.Of(d.ProgramType)}/{d.AttachTypeName}{(d.Sleepable ? " sleepable" : string.Empty)}" : "unknown")}",
        $"abi: {abi}",
        $"byte order: {(obj.ByteOrder == ByteOrder.Big ? "big" : "little")}",
    ];

    private static void RenderFunction(BpfObject obj, BpfFunction fn, Dictionary<string, Dictionary<int, InlinedSite>> marks, bool withSource, List<ListingLine> lines, List<int>? instructionLines)
    {
        var code = fn.Section;
        var sectionMarks = marks.GetValueOrDefault(code.Name);
        var labels = new SortedDictionary<int, string>();
        for (int i = fn.StartInsn; i < fn.EndInsn; i++)
        {
            if (code.Kinds[i].IsJump())
            {
                long slot = (long)code.Slots[i] + code.Instructions[i].JumpDistance + 1;
                int t = slot >= 0 && slot <= code.SlotCount ? code.InsnAtSlot(slot) : -1;
                if (t >= 0)
                {
                    labels[t] = string.Empty;
                }
            }
        }

        int n = 0;
        foreach (var k in labels.Keys.ToList())
        {
            labels[k] = $".L{n++}";
        }

        lines.Add(Line($"{fn.Name}:"));
        var sb = new StringBuilder();
        string? lastSource = null;
        for (int i = fn.StartInsn; i < fn.EndInsn; i++)
        {
            if (labels.TryGetValue(i, out var label))
            {
                lines.Add(Line(label + ":"));
            }

            // clang emits a line_info record per statement part (column); one comment per source line change is enough.
            if (withSource && obj.LineAt(code, i) is { } src)
            {
                string comment = $"    ; {src.Text?.Trim() ?? string.Empty} ({Path.GetFileName(src.File)}:{src.Line})";
                if (comment != lastSource)
                {
                    lines.Add(Line(comment));
                    lastSource = comment;
                }
            }

            if (sectionMarks is not null && sectionMarks.TryGetValue(code.Slots[i], out var mark))
            {
                lines.Add(Line($"    ; inlined {SessionKfuncs.NameOf(mark.Kfunc)} ({mark.Length} insns)"));
            }

            sb.Clear();
            sb.Append("    ");
            AppendInstruction(obj, code, i, labels, sb);
            instructionLines?.Add(lines.Count);
            lines.Add(Line(sb.ToString()));
        }
    }

    private static void AppendInstruction(BpfObject obj, CodeSection code, int i, SortedDictionary<int, string> labels, StringBuilder sb)
    {
        var insn = code.Instructions[i];
        var kind = code.Kinds[i];
        if (kind.IsJump())
        {
            string text = LlvmInstructionFormatter.Format(insn);
            int at = text.LastIndexOf("goto", StringComparison.Ordinal);
            int space = at < 0 ? -1 : text.IndexOf(' ', at);
            long slot = (long)code.Slots[i] + insn.JumpDistance + 1;
            int t = slot >= 0 && slot <= code.SlotCount ? code.InsnAtSlot(slot) : -1;
            if (space > 0 && t >= 0 && labels.TryGetValue(t, out var label))
            {
                sb.Append(text, 0, space + 1).Append(label);
                return;
            }

            sb.Append(text);
            return;
        }

        if (kind == InstructionKind.CallLocal)
        {
            var target = obj.ResolveCall(code, i);
            sb.Append("call ").Append(target.Kind switch
            {
                CallTargetKind.Kfunc => target.Name,
                CallTargetKind.Subprogram when target.Function is { } f => f.Name,
                _ => LlvmInstructionFormatter.Format(insn)[5..],
            });
            return;
        }

        if (kind == InstructionKind.CallHelper)
        {
            sb.Append("call ").Append(HelperIds.NameOf(insn.Imm) ?? $"helper#{insn.Imm}");
            return;
        }

        if (kind == InstructionKind.LoadImm64 && code.Relocations[i] is { } reloc)
        {
            var fp = obj.ResolveFunctionPointer(code, i);
            string what = fp.Kind == CallTargetKind.Subprogram && fp.Function is { } f
                ? f.Name
                : insn.Imm == 0 ? reloc.SymbolName : $"{reloc.SymbolName}{(insn.Imm < 0 ? "-" : "+")}0x{Math.Abs((long)insn.Imm):x}";
            sb.Append('r').Append(insn.Dst).Append(" = ").Append(what).Append(" ll");
            return;
        }

        LlvmInstructionFormatter.Format(insn, sb);
    }

    /// <summary>A listing line, escaped: names and source text from the file can hold newlines and ESC (<see cref="Printable"/>).</summary>
    private static ListingLine Line(string text) => new(Printable.Escape(text));

    /// <summary>The full text of one program's snapshot file (LF line endings).</summary>
    public static string SnapshotText(BpfObject obj, ProgramListing listing, BpfFunction program, string abi, string? owner = null)
    {
        var sb = new StringBuilder();
        foreach (var h in Header(obj, program, abi, owner))
        {
            Printable.Append(sb, h).Append('\n');
        }

        sb.Append('\n');
        foreach (var line in listing.Lines)
        {
            sb.Append(line.Text).Append('\n');
        }

        return sb.ToString();
    }
}
