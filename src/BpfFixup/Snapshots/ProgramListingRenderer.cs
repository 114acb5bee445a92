// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Btf;
using BpfFixup.Diff;
using BpfFixup.Diagnostics;
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
    /// <param name="cache">What listings rendered for one comparison share (<see cref="ListingCache"/>); null for none.</param>
    public static IReadOnlyList<ProgramListing> Render(BpfObject obj, IReadOnlyCollection<InlinedSite>? inlined = null, bool withSource = true, bool lineNumbers = false, ListingCache? cache = null) =>
        Render(obj, inlined, withSource, lineNumbers, null, null, cache);

    /// <summary>
    /// <see cref="Render(BpfObject, IReadOnlyCollection{InlinedSite}?, bool, bool, ListingCache?)"/>, also giving for each listing its
    /// functions as rendered (<see cref="RenderedFunction"/>, in order, shared by the listings that show a function) in
    /// <paramref name="functions"/> when it is not null, with the anchor of each line when <paramref name="anchorOf"/> is
    /// given: <paramref name="anchorOf"/> of the instruction a line shows (code section ordinal, instruction index), or -1
    /// for a line that shows none (a label, a comment, a function's name).
    /// </summary>
    internal static IReadOnlyList<ProgramListing> Render(BpfObject obj, IReadOnlyCollection<InlinedSite>? inlined, bool withSource, bool lineNumbers,
        Func<int, int, long>? anchorOf, List<IReadOnlyList<RenderedFunction>>? functions, ListingCache? cache = null)
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

        var marksBySection = new Dictionary<string, SlotMarks>(StringComparer.Ordinal);
        foreach (var (section, bySlot) in marks)
        {
            marksBySection.Add(section, new SlotMarks(bySlot));
        }

        var graph = new CallGraph(obj);
        var result = new List<ProgramListing>(obj.Programs.Count);
        // A subprogram is rendered once, however many programs reach it.
        var rendered = new Dictionary<BpfFunction, RenderedFunction>();
        var ordinals = new Dictionary<CodeSection, int>(ReferenceEqualityComparer.Instance);
        for (int s = 0; s < obj.CodeSections.Count; s++)
        {
            ordinals.TryAdd(obj.CodeSections[s], s);
        }

        var writer = new FunctionWriter(obj, marksBySection, withSource, lineNumbers, cache ?? new ListingCache());
        writer.Cache.Reserve(obj.CodeSections.Sum(c => c.Instructions.Length) / 4); // about the distinct lines of a compiled program
        foreach (var program in obj.Programs)
        {
            var reachable = graph.Reachable(program);
            var programFunctions = new List<RenderedFunction>(reachable.Count);
            var segments = new List<IReadOnlyList<ListingLine>>(reachable.Count);
            var segmentIds = new List<int[]>(reachable.Count);
            int count = 0;
            foreach (var fn in reachable)
            {
                count += fn.Length;
                if (!rendered.TryGetValue(fn, out var r))
                {
                    // Where each instruction is shown is needed only to align the listing or to tell the caller.
                    var insnLines = anchorOf is not null || functions is not null ? new int[fn.Length] : null;
                    writer.Write(fn, insnLines);
                    var fnIds = writer.TakeIds();
                    int ordinal = ordinals[fn.Section];
                    long[]? a = null;
                    if (anchorOf is not null)
                    {
                        // Instruction fn.StartInsn + k is shown on line insnLines[k]; the other lines show none.
                        a = new long[fnIds.Length];
                        Array.Fill(a, -1L);
                        for (int k = 0; k < insnLines!.Length; k++)
                        {
                            a[insnLines[k]] = anchorOf(ordinal, fn.StartInsn + k);
                        }
                    }

                    r = new RenderedFunction(new CachedLines(fnIds, writer.Cache), fnIds, ordinal, fn.StartInsn, insnLines ?? [], a, writer.Cache);
                    rendered[fn] = r;
                }

                programFunctions.Add(r);
                segments.Add(r.Lines);
                segmentIds.Add(r.Ids);
            }

            var lines = new SegmentedLines(segments);
            result.Add(new ProgramListing(program.Section.Name, program.Name, lines, count) { Segments = segments, SegmentIds = segmentIds, IdSpace = writer.Cache, SegmentedLines = lines });
            functions?.Add(programFunctions);
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

    /// <summary>Writes functions of one object as listing lines, reusing its buffers from one function to the next.</summary>
    private sealed class FunctionWriter(BpfObject obj, Dictionary<string, SlotMarks> marks, bool withSource, bool lineNumbers, ListingCache shared)
    {
        private readonly StringBuilder sb = new();
        private readonly StableLabels.Scratch labelScratch = new();
        private readonly StringBuilder context = new();
        private readonly List<int> targets = [];
        private readonly ListingLineCache cache = shared.Lines;
        private readonly List<int> ids = [];
        private readonly Dictionary<(ulong Names, uint Line), (string Text, (ListingLine Line, int Id) Line)> comments = [];

        /// <summary>The cache the lines come from: the space their ids are drawn from.</summary>
        public ListingLineCache Cache => cache;

        /// <summary>
        /// Writes the lines of <paramref name="fn"/> as their ids (taken by <see cref="TakeIds"/>); <paramref name="insnLines"/>[k],
        /// when given, gets the line of its k-th instruction.
        /// </summary>
        public void Write(BpfFunction fn, int[]? insnLines)
        {
            var code = fn.Section;
            var sectionMarks = marks.GetValueOrDefault(code.Name);
            var labels = Labels(fn, sectionMarks);

            Add(cache.Of(sb.Clear().Append(fn.Name).Append(':')));
            var resolver = new ReviewSymbolResolver(obj, code, labels);
            string? lastSource = null;
            int nextLabel = 0;
            // The line_info records in slot order, read with a cursor (LineAt's record at an instruction's slot).
            var (recordSlots, records) = withSource ? obj.LineIndex(code) : (Array.Empty<int>(), Array.Empty<BtfExtRecord>());
            int nextRecord = fn.StartInsn < fn.EndInsn ? LowerBound(recordSlots, code.Slots[fn.StartInsn]) : 0;
            // The inlined sites in slot order, read with a cursor too.
            int nextMark = sectionMarks is not null && fn.StartInsn < fn.EndInsn ? sectionMarks.LowerBound(code.Slots[fn.StartInsn]) : 0;
            for (int i = fn.StartInsn; i < fn.EndInsn; i++)
            {
                // The targets are in address order: a cursor finds the label of i (targets outside the function are passed).
                while (nextLabel < labels.Count && labels.TargetAt(nextLabel) < i)
                {
                    nextLabel++;
                }

                if (nextLabel < labels.Count && labels.TargetAt(nextLabel) == i)
                {
                    // Through the builder: a label line repeats (a digest names the same target line in many functions), so most cost no string.
                    Add(cache.Of(sb.Clear().Append(labels.NameAt(nextLabel)).Append(':')));
                }

                // clang emits a line_info record per statement part (column); one comment per source line change is enough.
                // A record that names the same file, text (and line, when shown) as the last one makes the same comment:
                // only a record that differs is formatted and compared.
                // A comment is written when its text differs from the last one written.
                int slot = code.Slots[i];
                while (nextRecord < recordSlots.Length && recordSlots[nextRecord] < slot)
                {
                    nextRecord++;
                }

                if (nextRecord < recordSlots.Length && recordSlots[nextRecord] == slot)
                {
                    var (comment, line) = Comment(records[nextRecord]);
                    if (!string.Equals(comment, lastSource, StringComparison.Ordinal))
                    {
                        Add(line);
                        lastSource = comment;
                    }
                }

                while (sectionMarks is not null && nextMark < sectionMarks.Count && sectionMarks.SlotAt(nextMark) < slot)
                {
                    nextMark++;
                }

                if (sectionMarks is not null && nextMark < sectionMarks.Count && sectionMarks.SlotAt(nextMark) == slot && sectionMarks.SiteAt(nextMark) is var mark)
                {
                    Add(cache.Of($"    ; inlined {SessionKfuncs.NameOf(mark.Kfunc)} ({mark.Length} insns)"));
                }

                var insn = code.Instructions[i];
                if (insnLines is not null)
                {
                    insnLines[i - fn.StartInsn] = ids.Count;
                }

                // An instruction the resolver names nothing in prints as its fields say: formatted once per distinct one.
                bool plain = IsPlain(code.Kinds[i]);
                if (plain && ListingLineCache.InstructionKey(insn, out ulong key) && cache.TryGetInstruction(key, out var known))
                {
                    Add(known);
                    continue;
                }

                sb.Clear();
                sb.Append(Indent);
                resolver.MoveTo(i);
                LlvmInstructionFormatter.Format(insn, sb, resolver, LlvmSymbolStyle.Replace);
                var entry = cache.Of(sb);
                if (plain && ListingLineCache.InstructionKey(insn, out key))
                {
                    cache.AddInstruction(key, entry);
                }

                Add(entry);
            }
        }

        /// <summary>
        /// The ids (<see cref="ListingLineCache"/>) of the lines <see cref="Write"/> wrote since the last call, in order:
        /// one array of the exact length from a buffer reused from one function to the next. A function keeps only
        /// these (its lines are read through the cache, <see cref="CachedLines"/>), not an array of references as well:
        /// half the large-object allocation, and millions fewer references for every full collection to mark.
        /// </summary>
        public int[] TakeIds()
        {
            var result = ids.ToArray();
            ids.Clear();
            return result;
        }

        private void Add((ListingLine Line, int Id) entry) => ids.Add(entry.Id);

        /// <summary>
        /// The source comment of a line_info record (its text unescaped, and its line), made once per distinct file,
        /// line text and (when shown) line number of this object: bpf_line_info's file_name_off, line_off and
        /// line_col (include/uapi/linux/bpf.h) name them, so equal fields make equal comments.
        /// </summary>
        private (string Text, (ListingLine Line, int Id) Line) Comment(BtfExtRecord record)
        {
            var rest = record.Rest;
            bool keyed = rest.Length >= 12;
            var key = keyed ? (BitConverter.ToUInt64(rest, 0), lineNumbers ? BitConverter.ToUInt32(rest, 8) : 0u) : default; // line_col whole: its byte order is the object's
            if (keyed && comments.TryGetValue(key, out var known))
            {
                return known;
            }

            var src = obj.ResolveLine(record);
            string where = lineNumbers ? $"{Path.GetFileName(src.File)}:{src.Line}" : Path.GetFileName(src.File);
            string comment = $"    ; {src.Text?.Trim() ?? string.Empty} ({where})";
            var made = (comment, cache.Of(comment));
            if (keyed)
            {
                comments.Add(key, made);
            }

            return made;
        }

        /// <summary>The stable labels of the jump targets of <paramref name="fn"/>.</summary>
        private FunctionLabels Labels(BpfFunction fn, SlotMarks? sectionMarks)
        {
            var code = fn.Section;
            targets.Clear();
            for (int i = fn.StartInsn; i < fn.EndInsn; i++)
            {
                if (code.Kinds[i].IsJump() && JumpTarget(code, i) is var t && t >= 0)
                {
                    targets.Add(t);
                }
            }

            if (targets.Count == 0)
            {
                return FunctionLabels.None;
            }

            targets.Sort();
            int distinct = 0;
            for (int k = 0; k < targets.Count; k++)
            {
                if (k == 0 || targets[k] != targets[distinct - 1])
                {
                    targets[distinct++] = targets[k];
                }
            }

            var sorted = targets.GetRange(0, distinct).ToArray();
            var contextResolver = new ReviewSymbolResolver(obj, code, FunctionLabels.None);
            var identities = new (string Line, string? Code)[sorted.Length];
            for (int k = 0; k < sorted.Length; k++)
            {
                identities[k] = LabelIdentity(fn, sorted[k], sectionMarks, contextResolver);
            }

            return new FunctionLabels(sorted, StableLabels.Names(fn.Name, identities, shared.Labels, k => Context(fn, sorted[k], sectionMarks, contextResolver), labelScratch));
        }

        /// <summary>
        /// The identity of jump target <paramref name="t"/> (<see cref="StableLabels"/>): the text of its source line, and
        /// its code (<see cref="Context"/>), left null to be made when <see cref="StableLabels.Names"/> needs it (the line
        /// is the code where there is no source line).
        /// </summary>
        private (string Line, string? Code) LabelIdentity(BpfFunction fn, int t, SlotMarks? sectionMarks, ReviewSymbolResolver resolver)
        {
            var code = fn.Section;
            bool inside = t >= fn.StartInsn && t < fn.EndInsn;
            if (inside && obj.SourceOf(code, t) is { Text: { } text } && text.Trim() is { Length: > 0 } line)
            {
                return ("source\n" + line, null);
            }

            string instructions = Context(fn, t, sectionMarks, resolver);
            return (instructions, instructions);
        }

        /// <summary>
        /// Up to <see cref="StableLabels.ContextLength"/> instructions from jump target <paramref name="t"/>, an inlined
        /// site written as the call it replaced.
        /// </summary>
        private string Context(BpfFunction fn, int t, SlotMarks? sectionMarks, ReviewSymbolResolver resolver)
        {
            var code = fn.Section;
            context.Clear();
            int i = t;
            for (int n = 0; n < StableLabels.ContextLength && i >= fn.StartInsn && i < fn.EndInsn; n++)
            {
                if (sectionMarks is not null && sectionMarks.TryGet(code.Slots[i], out var mark))
                {
                    context.Append("call ").Append(SessionKfuncs.NameOf(mark.Kfunc)).Append('\n');
                    i = code.InsnAtSlot(Math.Min((long)code.Slots[i] + mark.Length, code.SlotCount));
                    continue;
                }

                // An instruction the listing prints by its fields alone (see Write) was most often printed before: its
                // line, without the indent, is its context text (labels and symbols play no part in either).
                var insn = code.Instructions[i];
                if (IsPlain(code.Kinds[i]) && ListingLineCache.InstructionKey(insn, out ulong key) && cache.TryGetInstruction(key, out var known))
                {
                    context.Append(known.Line.Text.AsSpan(Indent.Length));
                }
                else
                {
                    AppendInstruction(resolver, code, i, context);
                }

                context.Append('\n');
                i++;
            }

            return context.ToString();
        }
    }

    /// <summary>The indent of an instruction's line.</summary>
    private const string Indent = "    ";

    /// <summary>
    /// Whether an instruction of <paramref name="kind"/> prints as its fields say, whatever the symbols and labels: not a
    /// jump (a label), a bpf-to-bpf or kfunc call (a relocation's or function's name) nor an ld_imm64 (a relocation's).
    /// </summary>
    private static bool IsPlain(InstructionKind kind) => !kind.IsJump() && kind is not (InstructionKind.CallLocal or InstructionKind.LoadImm64);

    /// <summary>The first index of ascending <paramref name="sorted"/> whose value is at least <paramref name="value"/>.</summary>
    private static int LowerBound(int[] sorted, int value)
    {
        int k = Array.BinarySearch(sorted, value);
        return k >= 0 ? k : ~k;
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

    /// <summary>The full text of one program's snapshot file (LF line endings).</summary>
    public static string SnapshotText(BpfObject obj, ProgramListing listing, BpfFunction program, string abi, string? owner = null) =>
        Snapshot(obj, listing, program, abi, owner).Text();

    /// <summary>
    /// <see cref="SnapshotText"/> as its parts, made into one string only when asked (<see cref="SnapshotListing"/>);
    /// compared through <paramref name="bytes"/> when given (the UTF-8 of the functions of all the object's listings).
    /// </summary>
    internal static SnapshotListing Snapshot(BpfObject obj, ProgramListing listing, BpfFunction program, string abi, string? owner = null, FunctionBytes? bytes = null)
    {
        // Sized for a header (six short lines) at once: grown from the default 16 chars it cost five chunks per program.
        var header = new StringBuilder(256);
        foreach (var h in Header(obj, program, abi, owner))
        {
            Printable.Append(header, h).Append('\n');
        }

        header.Append('\n');
        // The renderer's own listing (not a copy with other lines) is compared through its lines' ids.
        return bytes is not null && listing.HasSegments && listing.SegmentIds is { } ids && ReferenceEquals(listing.IdSpace, bytes.Cache)
            ? new SnapshotListing(header.ToString(), listing.Lines, ids, bytes)
            : new SnapshotListing(header.ToString(), listing.Lines);
    }
}
