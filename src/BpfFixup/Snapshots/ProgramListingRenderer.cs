// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Diff;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Model;
using BpfFixup.Rendering;
using BpfFixup.Rewrite;
using BpfFixup.Text;

namespace BpfFixup.Snapshots;

/// <summary>
/// Renders each program (with the subprograms it reaches) as a review-friendly listing: no instruction
/// indices, jump targets as labels (PREVAIL's idea) named by the target's source line or code (<see cref="StableLabels"/>), calls
/// and relocated loads by symbol name, helpers by name, inlined sites marked with the kfunc they replaced, and BTF
/// source lines as comments — by default without their line numbers, which move with every edit above them (a
/// comment-only edit would otherwise change the listing). One inserted instruction changes one line, not every
/// later jump or label.
/// </summary>
public static class ProgramListingRenderer
{
    /// <summary>Listings of every program of <paramref name="obj"/>, in section order.</summary>
    /// <param name="obj">The object.</param>
    /// <param name="inlined">Inlined sites to mark, or null.</param>
    /// <param name="withSource">Whether BTF source lines are shown as comments.</param>
    /// <param name="lineNumbers">Whether those comments keep the line number (<c>(x.bpf.c:42)</c>, else <c>(x.bpf.c)</c>).</param>
    public static IReadOnlyList<ProgramListing> Render(BpfObject obj, IReadOnlyCollection<InlinedSite>? inlined = null, bool withSource = true, bool lineNumbers = false) =>
        Render(obj, inlined, withSource, lineNumbers, null, null);

    /// <summary>
    /// <see cref="Render(BpfObject, IReadOnlyCollection{InlinedSite}?, bool, bool)"/>, also giving for each listing the anchor of
    /// each line: <paramref name="anchorOf"/> of the instruction a line shows (code section ordinal, instruction index),
    /// or -1 for a line that shows none (a label, a comment, a function's name); one array per function of the listing,
    /// in order, shared by the listings that show the function.
    /// </summary>
    internal static IReadOnlyList<ProgramListing> Render(BpfObject obj, IReadOnlyCollection<InlinedSite>? inlined, bool withSource, bool lineNumbers,
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
                    RenderFunction(obj, fn, marks, withSource, lineNumbers, fnLineList, instructionLines);
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

    private static void RenderFunction(BpfObject obj, BpfFunction fn, Dictionary<string, Dictionary<int, InlinedSite>> marks, bool withSource, bool lineNumbers, List<ListingLine> lines, List<int>? instructionLines)
    {
        var code = fn.Section;
        var sectionMarks = marks.GetValueOrDefault(code.Name);
        var targets = new List<int>();
        for (int i = fn.StartInsn; i < fn.EndInsn; i++)
        {
            if (code.Kinds[i].IsJump() && JumpTarget(code, i) is var t && t >= 0)
            {
                targets.Add(t);
            }
        }

        var labels = StableLabels.Name(fn, targets, t => LabelIdentity(obj, fn, t, sectionMarks));

        lines.Add(Line($"{fn.Name}:"));
        var resolver = new ReviewSymbolResolver(obj, code, labels);
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
                string where = lineNumbers ? $"{Path.GetFileName(src.File)}:{src.Line}" : Path.GetFileName(src.File);
                string comment = $"    ; {src.Text?.Trim() ?? string.Empty} ({where})";
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
            resolver.MoveTo(i);
            LlvmInstructionFormatter.Format(code.Instructions[i], sb, resolver, LlvmSymbolStyle.Replace);
            instructionLines?.Add(lines.Count);
            lines.Add(Line(sb.ToString()));
        }
    }

    private static readonly Dictionary<int, string> NoLabels = [];

    /// <summary>
    /// The identity of jump target <paramref name="t"/> (<see cref="StableLabels"/>): the text of its source line, and up
    /// to <see cref="StableLabels.ContextLength"/> instructions from it, an inlined site written as the call it replaced
    /// (the line is the code where there is no source line).
    /// </summary>
    private static (string Line, string Code) LabelIdentity(BpfObject obj, BpfFunction fn, int t, Dictionary<int, InlinedSite>? sectionMarks)
    {
        var code = fn.Section;
        var resolver = new ReviewSymbolResolver(obj, code, NoLabels);
        var sb = new StringBuilder();
        int i = t;
        for (int n = 0; n < StableLabels.ContextLength && i >= fn.StartInsn && i < fn.EndInsn; n++)
        {
            if (sectionMarks is not null && sectionMarks.TryGetValue(code.Slots[i], out var mark))
            {
                sb.Append("call ").Append(SessionKfuncs.NameOf(mark.Kfunc)).Append('\n');
                i = code.InsnAtSlot(Math.Min((long)code.Slots[i] + mark.Length, code.SlotCount));
                continue;
            }

            AppendInstruction(resolver, code, i, sb);
            sb.Append('\n');
            i++;
        }

        string instructions = sb.ToString();
        bool inside = t >= fn.StartInsn && t < fn.EndInsn;
        return inside && obj.SourceOf(code, t) is { Text: { } text } && text.Trim() is { Length: > 0 } line
            ? ("source\n" + line, instructions)
            : (instructions, instructions);
    }

    /// <summary>The instruction index jump <paramref name="i"/> goes to (the slot count for the end), or -1 outside the section.</summary>
    private static int JumpTarget(CodeSection code, int i)
    {
        long slot = (long)code.Slots[i] + code.Instructions[i].JumpDistance + 1;
        return slot >= 0 && slot <= code.SlotCount ? code.InsnAtSlot(slot) : -1;
    }

    /// <summary>
    /// Appends instruction <paramref name="i"/> as a label's context: names as in the listing, but a jump ends at
    /// <c>goto</c> (<see cref="StableLabels.WithoutTarget"/>), so a label does not depend on other labels.
    /// </summary>
    private static void AppendInstruction(ReviewSymbolResolver resolver, CodeSection code, int i, StringBuilder sb)
    {
        if (code.Kinds[i].IsJump())
        {
            sb.Append(StableLabels.WithoutTarget(LlvmInstructionFormatter.Format(code.Instructions[i])));
            return;
        }

        resolver.MoveTo(i);
        LlvmInstructionFormatter.Format(code.Instructions[i], sb, resolver, LlvmSymbolStyle.Replace);
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
