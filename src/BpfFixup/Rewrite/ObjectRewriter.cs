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
    public static RewriteResult Rewrite(AnalysisResult analysis, RewriteOptions options)
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
                Output = (byte[])obj.Elf.Original.Clone(),
                Summary = new RewriteSummary { Abi = options.Abi.Name, Unchanged = true, Kept = siteCount, SlotsBefore = slotsBefore, SlotsAfter = slotsBefore },
            };
        }

        var state = new Rewriter(analysis, plan, helpers, options, diagnostics);
        return state.Run(slotsBefore);
    }

    private sealed class Rewriter(AnalysisResult analysis, RewritePlan plan, HelperInlinePlan? helpers, RewriteOptions options, List<Diagnostic> diagnostics)
    {
        private readonly BpfObject obj = analysis.Object;
        private readonly Dictionary<CodeSection, EditableSection> sections = [];
        private readonly HashSet<BpfFunction> specialised = [.. plan.Specialised];
        private readonly ILookup<CodeSection, BpfFunction> specialisedIn = plan.Specialised.ToLookup(f => f.Section);
        private readonly List<(EditableSection Section, EditableInstruction First, int Length, SessionKfunc Kfunc, int OriginalSlot)> inlined = [];
        private readonly InlineTemplate isReturnTemplate = options.Abi.TemplateFor(SessionKfunc.IsReturn); // built once, not per site
        private readonly InlineTemplate cookieTemplate = options.Abi.TemplateFor(SessionKfunc.Cookie);
        private int isReturnInlined;
        private int cookieInlined;
        private int kept;
        private int helpersInlined;
        private int helpersKept;

        private bool InlineContext(FunctionInstance i) => i.IsCopy || plan.InlineInPlace.Contains(i.Function);

        public RewriteResult Run(int slotsBefore)
        {
            // 1. Edit: each section becomes a list of instructions, inline sequences in place of the calls they replace.
            foreach (var section in obj.CodeSections)
            {
                sections[section] = Build(section);
            }

            // 2. Link: jump and call targets become references to instructions.
            foreach (var e in sections.Values)
            {
                Link(e);
            }

            // 3. Layout, once: every slot; then every field that encodes a position is derived from the references.
            foreach (var e in sections.Values)
            {
                e.Layout();
            }

            foreach (var e in sections.Values)
            {
                Encode(e);
            }

            if (diagnostics.Any(d => d.Severity == Severity.Error))
            {
                return new RewriteResult { Analysis = analysis, Diagnostics = diagnostics };
            }

            var writer = new ObjectPatcher(obj, sections, plan, options, diagnostics);
            var bytes = writer.Write(out var copies, out var dropped);
            if (bytes is null)
            {
                return new RewriteResult { Analysis = analysis, Diagnostics = diagnostics };
            }

            return new RewriteResult
            {
                Analysis = analysis,
                Diagnostics = diagnostics,
                Output = bytes,
                Inlined = [.. inlined.Select(s => new InlinedSite(s.Section.Section.Name, s.First.Slot, s.Length, s.Kfunc, s.OriginalSlot))],
                Map = BuildMap(),
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
                    SlotsAfter = sections.Values.Sum(e => e.SlotCount),
                },
            };
        }

        /// <summary>The old-to-new alignment: each output instruction's origin, code sections in input order.</summary>
        private InstructionMap BuildMap()
        {
            var origins = new int[obj.CodeSections.Count][];
            for (int s = 0; s < origins.Length; s++)
            {
                var list = sections[obj.CodeSections[s]].Instructions;
                var o = origins[s] = new int[list.Count];
                for (int i = 0; i < o.Length; i++)
                {
                    o[i] = InstructionMap.Encode(list[i].OldInsn, list[i].Instance.IsCopy);
                }
            }

            return new InstructionMap(origins);
        }

        private EditableSection Build(CodeSection section)
        {
            var e = new EditableSection(section);
            for (int i = 0; i < section.Instructions.Length; i++)
            {
                e.MarkOriginal(i);
                Emit(e, new FunctionInstance(section.FunctionAt(i), false), i, countKept: true);
            }

            e.MarkOriginal(section.Instructions.Length);

            // Each copy goes at the end of its own function's section (a damaged input may have two called .text).
            foreach (var f in specialisedIn[section])
            {
                e.BeginCopy(f);
                var inst = new FunctionInstance(f, true);
                for (int i = f.StartInsn; i < f.EndInsn; i++)
                {
                    e.MarkCopy(f, i);
                    Emit(e, inst, i, countKept: false);
                }

                e.MarkCopy(f, f.EndInsn);
                e.Changed = true;
            }

            e.Complete();
            return e;
        }

        private void Emit(EditableSection e, FunctionInstance inst, int i, bool countKept)
        {
            var section = e.Section;
            if (obj.SessionCallSiteAt(section, i) is { } site)
            {
                if (InlineContext(inst))
                {
                    var template = site.Kfunc == SessionKfunc.Cookie ? cookieTemplate : isReturnTemplate;
                    if (site.Kfunc == SessionKfunc.Cookie) { cookieInlined++; } else { isReturnInlined++; }
                    e.Changed = true;
                    var first = EmitSequence(e, inst, template.Instructions);
                    inlined.Add((e, first, template.Instructions.Count, site.Kfunc, section.Slots[i]));
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
                EmitSequence(e, inst, helper.Instructions);
                return;
            }

            if (helpers?.KeptAt(section, inst, i) == true)
            {
                helpersKept++;
            }

            var reloc = section.Relocations[i];
            e.Add(new EditableInstruction
            {
                Insn = section.Instructions[i],
                OldInsn = i,
                Instance = inst,
                Relocation = reloc,
                RelocationSymbol = reloc is null ? -1 : (int)reloc.Raw.SymbolIndex,
            });
        }

        /// <summary>Appends an inline sequence (instructions without an origin, so their own jumps stay as they are); returns its first instruction.</summary>
        private static EditableInstruction EmitSequence(EditableSection e, FunctionInstance inst, IReadOnlyList<Instruction> sequence)
        {
            EditableInstruction? first = null;
            foreach (var insn in sequence)
            {
                var added = new EditableInstruction { Insn = insn, Instance = inst };
                first ??= added;
                e.Add(added);
            }

            return first ?? throw new InvalidOperationException("an inline sequence without instructions (internal error)");
        }

        /// <summary>Resolves each carried-over jump and bpf-to-bpf reference to the instruction it reaches.</summary>
        private void Link(EditableSection e)
        {
            var section = e.Section;
            foreach (var o in e.Instructions)
            {
                if (o.OldInsn < 0)
                {
                    continue;
                }

                var kind = section.Kinds[o.OldInsn];
                if (kind.IsJump())
                {
                    int to = ControlFlowGraph.JumpTarget(o.Instance.Function, o.OldInsn, out _);
                    if (to >= 0) // else reported by the analysis as an error already
                    {
                        o.Target = e.LabelOf(o.Instance, to);
                    }

                    continue;
                }

                CallTarget t = kind switch
                {
                    InstructionKind.CallLocal => obj.ResolveCall(section, o.OldInsn),
                    InstructionKind.LoadImm64 => obj.ResolveFunctionPointer(section, o.OldInsn),
                    _ => CallTarget.None,
                };
                if (t.Kind != CallTargetKind.Subprogram || t.Section is not { } ts)
                {
                    continue;
                }

                var callee = ts.FunctionAt(t.TargetInsn);
                var view = new FunctionInstance(callee, InlineContext(o.Instance) && specialised.Contains(callee));
                o.Target = sections[ts].LabelOf(view, t.TargetInsn);
            }
        }

        /// <summary>Derives the jump offsets, call immediates and callback addresses of <paramref name="e"/> from its references.</summary>
        private void Encode(EditableSection e)
        {
            foreach (var o in e.Instructions)
            {
                var insn = o.Insn;
                int symbolBefore = o.RelocationSymbol;
                if (o.Target is not { } to)
                {
                    continue;
                }

                if (e.Section.Kinds[o.OldInsn].IsJump())
                {
                    EncodeJump(e, o, to);
                }
                else
                {
                    EncodeCall(o, to);
                }

                e.Changed |= o.Insn != insn || o.RelocationSymbol != symbolBefore;
            }
        }

        private void EncodeJump(EditableSection e, EditableInstruction o, EditableInstruction to)
        {
            var section = e.Section;
            int distance = to.Slot - o.Slot - 1;
            if (section.Kinds[o.OldInsn] != InstructionKind.GotoLong && (distance < short.MinValue || distance > short.MaxValue))
            {
                int target = ControlFlowGraph.JumpTarget(o.Instance.Function, o.OldInsn, out _);
                diagnostics.Add(obj.DiagnosticAt(o.Instance.Function, o.OldInsn, DiagnosticIds.JumpRange, Severity.Error,
                    $"insn {section.Slots[o.OldInsn]} cannot be patched due to 16-bit range: the jump to insn {section.Slots[target]} would need offset {distance}"));
                return;
            }

            o.Insn = o.Insn.WithJumpDistance(distance);
        }

        private void EncodeCall(EditableInstruction o, EditableInstruction callee)
        {
            var insn = o.Insn;
            if (o.Instance.Function.Section.Kinds[o.OldInsn] == InstructionKind.CallLocal)
            {
                // pc-relative without a relocation (RFC 9669 §4.3.1); with one, libbpf: target = sym.st_value / 8 + imm + 1.
                o.Insn = o.Relocation is null
                    ? insn with { Imm = callee.Slot - o.Slot - 1 }
                    : insn with { Imm = callee.Slot - (int)(NewSymbolValue(RetargetSymbol(o)) / 8) - 1 };
            }
            else if (o.Relocation is not null)
            {
                // ld_imm64 code address: target byte offset = sym.st_value + imm (libbpf's bpf_object__reloc_code, RELO_SUBPROG_ADDR).
                o.Insn = insn with { Imm = (int)callee.ByteOffset - (int)NewSymbolValue(RetargetSymbol(o)) };
            }
        }

        /// <summary>A reference to a copy goes through the section symbol (libbpf refuses LOCAL FUNC for ld_imm64).</summary>
        private int RetargetSymbol(EditableInstruction o)
        {
            var sym = obj.Elf.Symbols[o.RelocationSymbol];
            var view = o.Target!.Instance;
            var target = view.Function.Section;
            if (view.IsCopy && sym.Type != ElfConstants.SttSection)
            {
                int sectionSymbol = obj.SectionSymbolIndex(target.Elf.Index);
                if (sectionSymbol < 0)
                {
                    diagnostics.Add(new Diagnostic
                    {
                        Id = DiagnosticIds.Specialised,
                        Severity = Severity.Error,
                        Message = $"cannot retarget to the fsession copy of '{view.Function.Name}': {target.Name} has no section symbol",
                        File = obj.FileName,
                        Section = o.Instance.Function.Section.Name,
                        Function = o.Instance.Function.Name,
                    });
                    return o.RelocationSymbol;
                }

                o.RelocationSymbol = sectionSymbol;
            }

            return o.RelocationSymbol;
        }

        /// <summary>A symbol's st_value after the rewrite: code positions move with the instructions they name.</summary>
        private ulong NewSymbolValue(int symbolIndex) => ObjectPatcher.MapSymbolValue(obj, sections, obj.Elf.Symbols[symbolIndex]);
    }
}
