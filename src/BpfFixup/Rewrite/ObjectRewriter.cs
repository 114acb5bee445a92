// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>
/// The offline fixup pass: replaces each session-kfunc call that the kernel would inline (fsession programs)
/// by the ABI's sequence, and fixes everything that encodes instruction positions (what bpf_patch_insn_data in kernel/bpf/verifier.c adjusts, and the ELF's own):
/// jump offsets, gotol imm, same-section call imm, section-symbol call imm, function-pointer ld_imm64,
/// relocation r_offsets, symbol st_value/st_size, section sizes, .BTF.ext insn_off. Each changed section is
/// rebuilt once with an old-to-new map. A jump that lands on a replaced call lands on the first inline
/// instruction, as the kernel's <c>bpf_adj_branches</c> does.
/// </summary>
public static class ObjectRewriter
{
    /// <summary>Plans and performs the rewrite. Errors in the analysis mean no output.</summary>
    public static RewriteResult Rewrite(AnalysisResult analysis, RewriteOptions options) => Rewrite(analysis, options, produce: true);

    /// <summary>
    /// Plans and performs the rewrite; without <paramref name="produce"/> (what <c>check</c> needs: the verdict) every
    /// decision and check is made, so the diagnostics are those of a patch, but no output bytes are made:
    /// <see cref="RewriteResult.Output"/> stays null.
    /// </summary>
    internal static RewriteResult Rewrite(AnalysisResult analysis, RewriteOptions options, bool produce)
    {
        var diagnostics = analysis.Diagnostics.ToList();
        var obj = analysis.Object;
        if (analysis.HasErrors)
        {
            return new RewriteResult { Analysis = analysis, Diagnostics = diagnostics };
        }

        var plan = RewritePlan.Create(analysis);
        var helpers = HelperInlinePlan.Create(analysis, plan, options);
        int slotsBefore = obj.CodeSections.Sum(s => s.SlotCount);
        int siteCount = obj.SessionCallSites.Count;
        if (plan.IsEmpty && helpers?.Any(obj) != true)
        {
            return new RewriteResult
            {
                Analysis = analysis,
                Diagnostics = diagnostics,
                Output = produce ? (byte[])obj.Elf.Original.Clone() : null,
                Summary = new RewriteSummary { Abi = options.Abi.Name, Unchanged = true, Kept = siteCount, SlotsBefore = slotsBefore, SlotsAfter = slotsBefore },
            };
        }

        var state = new Rewriter(analysis, plan, helpers, options, diagnostics, listed: produce && options.Listings);
        return state.Run(slotsBefore, produce);
    }

    /// <param name="listed">
    /// Whether the listings' inputs are kept (<see cref="RewriteResult.Inlined"/>, <see cref="RewriteResult.Map"/>): only
    /// when there is an output to list (<c>check</c> asks for the verdict only) and a listing is asked for
    /// (<see cref="RewriteOptions.Listings"/>).
    /// </param>
    private sealed class Rewriter(AnalysisResult analysis, RewritePlan plan, HelperInlinePlan? helpers, RewriteOptions options, List<Diagnostic> diagnostics, bool listed)
    {
        private readonly BpfObject obj = analysis.Object;
        private readonly Dictionary<CodeSection, EditableSection> sections = new(analysis.Object.CodeSections.Count);
        private readonly EditableSection[] byOrdinal = new EditableSection[analysis.Object.CodeSections.Count];
        private readonly HashSet<BpfFunction> specialised = [.. plan.Specialised];
        private readonly ILookup<CodeSection, BpfFunction> specialisedIn = plan.Specialised.ToLookup(f => f.Section);
        private readonly Dictionary<CodeSection, SessionSiteCursor> sites = SessionSiteCursor.For(analysis.Object);
        private readonly List<(EditableSection Section, int First, int Length, SessionKfunc Kfunc, int OriginalSlot)> inlined = [];
        private readonly InlineTemplate isReturnTemplate = options.Abi.TemplateFor(SessionKfunc.IsReturn); // built once, not per site
        private readonly InlineTemplate cookieTemplate = options.Abi.TemplateFor(SessionKfunc.Cookie);
        private readonly InlineSequences sequences = new();
        private int isReturnInlined;
        private int cookieInlined;
        private int kept;
        private int helpersInlined;
        private int helpersKept;

        private bool InlineContext(FunctionInstance i) => i.IsCopy || plan.InlineInPlace.Contains(i.Function);

        public RewriteResult Run(int slotsBefore, bool produce)
        {
            // 1. Edit: each section becomes a list of instructions, inline sequences in place of the calls they replace.
            for (int s = 0; s < byOrdinal.Length; s++)
            {
                var section = obj.CodeSections[s];
                sections[section] = byOrdinal[s] = Build(section, s);
            }

            // 2. Link: jump and call targets become references to instructions, symbols are attached to theirs.
            foreach (var e in byOrdinal)
            {
                Link(e);
                e.AttachSymbols(obj);
            }

            // 3. Layout, once: every slot; then every field that encodes a position is derived from the references.
            foreach (var e in byOrdinal)
            {
                e.Layout();
            }

            foreach (var e in byOrdinal)
            {
                Encode(e);
            }

            if (diagnostics.Any(d => d.Severity == Severity.Error))
            {
                return new RewriteResult { Analysis = analysis, Diagnostics = diagnostics };
            }

            var sites = listed ? inlined.ConvertAll(s => new InlinedSite(s.Section.Section.Name, s.Section.SlotOf(s.First), s.Length, s.Kfunc, s.OriginalSlot)) : [];
            var map = listed ? new InstructionMap(Array.ConvertAll(byOrdinal, e => e.Origins())) : null;
            int slotsAfter = byOrdinal.Sum(e => e.SlotCount);
            var writer = new ObjectPatcher(obj, sections, plan, options, diagnostics);
            var bytes = writer.Write(produce, out var copies, out var dropped);
            if (bytes is null)
            {
                return new RewriteResult { Analysis = analysis, Diagnostics = diagnostics };
            }

            return new RewriteResult
            {
                Analysis = analysis,
                Diagnostics = diagnostics,
                Output = produce ? bytes : null,
                Inlined = sites,
                Map = map,
                Summary = new RewriteSummary
                {
                    Abi = options.Abi.Name,
                    IsReturnInlined = isReturnInlined,
                    CookieInlined = cookieInlined,
                    Kept = kept,
                    KernelInlines = helpers is not null,
                    HelpersInlined = helpersInlined,
                    HelpersKept = helpersKept,
                    Specialised = copies,
                    DroppedSections = dropped,
                    SlotsBefore = slotsBefore,
                    SlotsAfter = slotsAfter,
                },
            };
        }

        private EditableSection Build(CodeSection section, int ordinal)
        {
            var cursor = sites.GetValueOrDefault(section);
            var e = new EditableSection(section, ordinal, Capacity(section, cursor), sequences);
            var functions = section.Functions;
            int fi = 0;
            int length = section.Instructions.Length;
            for (int i = 0; i < length;)
            {
                if (RunEnd(cursor, i, length) is var run && run > i)
                {
                    e.CarryOriginals(i, run);
                    i = run;
                    continue;
                }

                // The function holding i (CodeSection.FunctionAt), walked along instead of searched per instruction.
                while (fi + 1 < functions.Count && functions[fi + 1].StartInsn <= i)
                {
                    fi++;
                }

                e.MarkOriginal(i);
                Emit(e, cursor, new FunctionInstance(functions[fi], false), i, countKept: true);
                i++;
            }

            e.MarkOriginal(length);

            // Each copy goes at the end of its own function's section (a damaged input may have two called .text).
            foreach (var f in specialisedIn[section])
            {
                e.BeginCopy(f);
                cursor?.Seek(f.StartInsn);
                var inst = new FunctionInstance(f, true);
                for (int i = f.StartInsn; i < f.EndInsn;)
                {
                    if (RunEnd(cursor, i, f.EndInsn) is var run && run > i)
                    {
                        e.CarryCopy(i, run);
                        i = run;
                        continue;
                    }

                    e.MarkCopy(i);
                    Emit(e, cursor, inst, i, countKept: false);
                    i++;
                }

                e.MarkCopy(f.EndInsn);
                e.Changed = true;
            }

            return e;
        }

        /// <summary>
        /// Where the run of instructions from <paramref name="start"/> that <see cref="Emit"/> would carry over as they
        /// are ends (before <paramref name="end"/>): at the next session site; no run when helper inlines are planned
        /// (decided per instruction).
        /// </summary>
        private int RunEnd(SessionSiteCursor? cursor, int start, int end) =>
            helpers is not null ? start : Math.Min(end, cursor?.NextFrom(start) ?? end);

        /// <summary>
        /// How many instructions the output section can hold at most: each instruction once, each copy's once more, and
        /// each session site's sequence in place of its call (helper inlines, rarer, may still grow the list).
        /// </summary>
        private int Capacity(CodeSection section, SessionSiteCursor? cursor)
        {
            int growth = Math.Max(0, Math.Max(isReturnTemplate.Instructions.Count, cookieTemplate.Instructions.Count) - 1);
            long capacity = section.Instructions.Length + ((long)(cursor?.Count ?? 0) * growth);
            foreach (var f in specialisedIn[section])
            {
                capacity += f.Length + ((long)(cursor?.CountIn(f.StartInsn, f.EndInsn) ?? 0) * growth);
            }

            return (int)Math.Min(capacity, Array.MaxLength);
        }

        private void Emit(EditableSection e, SessionSiteCursor? cursor, FunctionInstance inst, int i, bool countKept)
        {
            var section = e.Section;
            if (cursor?.At(i) is { } site)
            {
                if (InlineContext(inst))
                {
                    var template = site.Kfunc == SessionKfunc.Cookie ? cookieTemplate : isReturnTemplate;
                    if (site.Kfunc == SessionKfunc.Cookie) { cookieInlined++; } else { isReturnInlined++; }
                    e.Changed = true;
                    int first = EmitSequence(e, sequences, template.Instructions);
                    if (listed)
                    {
                        inlined.Add((e, first, template.Instructions.Count, site.Kfunc, section.Slots[i]));
                    }

                    return;
                }

                if (countKept)
                {
                    kept++;
                }
            }

            if (helpers?.TemplateAt(section, inst, i) is { } helper)
            {
                // do_misc_fixups → bpf_patch_insn_data: the call becomes the sequence; a jump to the call lands on its
                // first instruction (bpf_adj_branches), as the label of i is that instruction.
                helpersInlined++;
                e.Changed = true;
                EmitSequence(e, sequences, helper.Instructions);
                return;
            }

            if (helpers?.KeptAt(section, inst, i) == true)
            {
                helpersKept++;
            }

            e.Add(EditableInstruction.Carried(i), section.Relocations[i] is not null);
        }

        /// <summary>Appends an inline sequence (instructions without an origin, so their own jumps stay as they are); returns the index of its first instruction.</summary>
        private static int EmitSequence(EditableSection e, InlineSequences sequences, IReadOnlyList<Instruction> sequence)
        {
            if (sequence.Count == 0)
            {
                throw new InvalidOperationException("an inline sequence without instructions (internal error)");
            }

            int first = e.Count;
            int id = sequences.IdOf(sequence);
            for (int j = 0; j < sequence.Count; j++)
            {
                e.Add(EditableInstruction.Inserted(id, j), hasRelocation: false);
            }

            return first;
        }

        /// <summary>Resolves each carried-over jump and bpf-to-bpf reference to the instruction it reaches.</summary>
        private void Link(EditableSection e)
        {
            var section = e.Section;
            BpfFunction? fn = null;
            for (int k = 0; k < e.Count; k++)
            {
                ref var o = ref e[k];
                int oldInsn = o.OldInsn;
                if (oldInsn < 0)
                {
                    continue;
                }

                var kind = section.Kinds[oldInsn];
                if (!kind.IsJump() && kind is not (InstructionKind.CallLocal or InstructionKind.LoadImm64))
                {
                    continue;
                }

                if (fn is null || oldInsn < fn.StartInsn || oldInsn >= fn.EndInsn)
                {
                    fn = section.FunctionAt(oldInsn);
                }

                var instance = new FunctionInstance(fn, e.InCopyAt(k));
                if (kind.IsJump())
                {
                    int to = ControlFlowGraph.JumpTarget(fn, oldInsn, out _);
                    if (to >= 0) // else reported by the analysis as an error already
                    {
                        o.SetTarget(e.LabelOf(instance, to));
                    }

                    continue;
                }

                CallTarget t = kind == InstructionKind.CallLocal ? obj.ResolveCall(section, oldInsn) : obj.ResolveFunctionPointer(section, oldInsn);
                if (t.Kind != CallTargetKind.Subprogram || t.Section is not { } ts)
                {
                    continue;
                }

                var callee = ts.FunctionAt(t.TargetInsn);
                var view = new FunctionInstance(callee, InlineContext(instance) && specialised.Contains(callee));
                var target = sections[ts];
                e.SetCallTarget(k, target.Ordinal, target.LabelOf(view, t.TargetInsn), view.IsCopy);
            }
        }

        /// <summary>Derives the jump offsets, call immediates and callback addresses of <paramref name="e"/> from its references.</summary>
        private void Encode(EditableSection e)
        {
            for (int k = 0; k < e.Count; k++)
            {
                ref var o = ref e[k];
                if (!o.HasTarget)
                {
                    continue;
                }

                var insn = e.Section.Instructions[o.OldInsn];
                bool changed = e.Section.Kinds[o.OldInsn].IsJump() ? EncodeJump(e, k, ref o, insn) : EncodeCall(e, k, ref o, insn);
                e.Changed |= changed;
            }
        }

        /// <summary>Encodes a jump's distance; true when the instruction changed.</summary>
        private bool EncodeJump(EditableSection e, int index, ref EditableInstruction o, Instruction insn)
        {
            var section = e.Section;
            int distance = e.SlotOf(o.Target) - e.SlotOf(index) - 1;
            if (section.Kinds[o.OldInsn] != InstructionKind.GotoLong && (distance < short.MinValue || distance > short.MaxValue))
            {
                var fn = section.FunctionAt(o.OldInsn);
                int target = ControlFlowGraph.JumpTarget(fn, o.OldInsn, out _);
                diagnostics.Add(obj.DiagnosticAt(fn, o.OldInsn, DiagnosticIds.JumpRange, Severity.Error,
                    $"insn {section.Slots[o.OldInsn]} cannot be patched due to 16-bit range: the jump to insn {section.Slots[target]} would need offset {distance}"));
                return false;
            }

            o.SetEncoded(distance);
            return insn.WithJumpDistance(distance) != insn;
        }

        /// <summary>Encodes a call's or a callback address's immediate; true when the instruction or the symbol its relocation uses changed.</summary>
        private bool EncodeCall(EditableSection e, int index, ref EditableInstruction o, Instruction insn)
        {
            var callee = byOrdinal[e.CallTargetOf(index).Ordinal];
            int calleeSlot = callee.SlotOf(o.Target);
            bool relocated = e.Section.Relocations[o.OldInsn] is not null;
            int imm;
            int before = relocated ? e.RelocationSymbol(index) : -1;
            int symbol = before;
            if (e.Section.Kinds[o.OldInsn] == InstructionKind.CallLocal)
            {
                // pc-relative without a relocation (RFC 9669 §4.3.1); with one, libbpf: target = sym.st_value / 8 + imm + 1.
                if (!relocated)
                {
                    imm = calleeSlot - e.SlotOf(index) - 1;
                }
                else
                {
                    symbol = RetargetSymbol(e, index, in o);
                    imm = calleeSlot - (int)(NewSymbolValue(symbol) / 8) - 1;
                }
            }
            else if (relocated)
            {
                // ld_imm64 code address: target byte offset = sym.st_value + imm (libbpf's bpf_object__reloc_code, RELO_SUBPROG_ADDR).
                symbol = RetargetSymbol(e, index, in o);
                imm = (int)callee.ByteOffsetOf(o.Target) - (int)NewSymbolValue(symbol);
            }
            else
            {
                return false;
            }

            o.SetEncoded(imm);
            return imm != insn.Imm || symbol != before;
        }

        /// <summary>A reference to a copy goes through the section symbol (libbpf refuses LOCAL FUNC for ld_imm64).</summary>
        private int RetargetSymbol(EditableSection e, int index, in EditableInstruction o)
        {
            int symbol = e.RelocationSymbol(index);
            var sym = obj.Elf.Symbols[symbol];
            var (ordinal, inCopy) = e.CallTargetOf(index);
            var target = byOrdinal[ordinal].Section;
            if (inCopy && sym.Type != ElfConstants.SttSection)
            {
                int sectionSymbol = obj.SectionSymbolIndex(target.Elf.Index);
                if (sectionSymbol < 0)
                {
                    var fn = e.Section.FunctionAt(o.OldInsn);
                    var t = e.Section.Kinds[o.OldInsn] == InstructionKind.CallLocal ? obj.ResolveCall(e.Section, o.OldInsn) : obj.ResolveFunctionPointer(e.Section, o.OldInsn);
                    diagnostics.Add(new Diagnostic
                    {
                        Id = DiagnosticIds.Specialised,
                        Severity = Severity.Error,
                        Message = $"cannot retarget to the fsession copy of '{target.FunctionAt(t.TargetInsn).Name}': {target.Name} has no section symbol to address it through (STT_SECTION, STB_LOCAL, st_value 0)",
                        File = obj.FileName,
                        Section = e.Section.Name,
                        Function = fn.Name,
                    });
                    return symbol;
                }

                e.Retarget(index, sectionSymbol);
                return sectionSymbol;
            }

            return symbol;
        }

        /// <summary>A symbol's st_value after the rewrite: code positions move with the instructions they name.</summary>
        private ulong NewSymbolValue(int symbolIndex) => ObjectPatcher.MapSymbolValue(obj, sections, symbolIndex);
    }
}
