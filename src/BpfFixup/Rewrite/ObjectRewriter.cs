// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>
/// The offline fixup pass: replaces each session-kfunc call that the kernel would inline (fsession programs)
/// by the ABI's sequence, and fixes everything that encodes instruction positions (bpf-object-facts §3.12):
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
        private readonly Dictionary<CodeSection, SectionRebuild> rebuilds = [];
        private readonly HashSet<BpfFunction> specialised = [.. plan.Specialised];
        private readonly List<InlinedSite> inlined = [];
        private int isReturnInlined;
        private int cookieInlined;
        private int kept;
        private int helpersInlined;
        private int helpersKept;

        private bool InlineContext(FunctionInstance i) => i.IsCopy || plan.InlineInPlace.Contains(i.Function);

        public RewriteResult Run(int slotsBefore)
        {
            foreach (var section in obj.CodeSections)
            {
                rebuilds[section] = Build(section);
            }

            foreach (var r in rebuilds.Values)
            {
                FixPositions(r);
            }

            if (diagnostics.Any(d => d.Severity == Severity.Error))
            {
                return new RewriteResult { Analysis = analysis, Diagnostics = diagnostics };
            }

            var writer = new ObjectPatcher(obj, rebuilds, plan, options, diagnostics);
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
                Inlined = inlined,
                Map = new InstructionMap([.. obj.CodeSections.Select(s => rebuilds[s].Output.Select(o => InstructionMap.Encode(o.OldInsn, o.Instance.IsCopy)).ToArray())]),
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
                    SlotsAfter = rebuilds.Values.Sum(r => r.SlotCount),
                },
            };
        }

        private SectionRebuild Build(CodeSection section)
        {
            var r = new SectionRebuild(section);
            int slot = 0;
            for (int i = 0; i < section.Instructions.Length; i++)
            {
                slot = Emit(r, new FunctionInstance(section.FunctionAt(i), false), i, slot, countKept: true);
            }

            r.OriginalSlot[section.Instructions.Length] = slot;
            if (section.IsText)
            {
                foreach (var f in plan.Specialised)
                {
                    var map = new int[f.Length + 1];
                    r.CopySlot[f] = map;
                    var inst = new FunctionInstance(f, true);
                    for (int i = f.StartInsn; i < f.EndInsn; i++)
                    {
                        map[i - f.StartInsn] = slot;
                        slot = Emit(r, inst, i, slot, countKept: false);
                    }

                    map[f.Length] = slot;
                    r.Changed = true;
                }
            }

            r.SlotCount = slot;
            return r;
        }

        private int Emit(SectionRebuild r, FunctionInstance inst, int i, int slot, bool countKept)
        {
            var section = r.Section;
            if (!inst.IsCopy)
            {
                r.OriginalSlot[i] = slot;
            }

            if (obj.SessionCallSiteAt(section, i) is { } site)
            {
                if (InlineContext(inst))
                {
                    var template = options.Abi.TemplateFor(site.Kfunc);
                    inlined.Add(new InlinedSite(section.Name, slot, template.Instructions.Count, site.Kfunc, section.Slots[i]));
                    if (site.Kfunc == SessionKfunc.Cookie) { cookieInlined++; } else { isReturnInlined++; }
                    r.Changed = true;
                    return EmitSequence(r, inst, template.Instructions, slot);
                }

                if (countKept)
                {
                    kept++;
                }
            }

            if (helpers?.TemplateAt(section, inst, i) is { } helper)
            {
                // do_misc_fixups → bpf_patch_insn_data: the call becomes the sequence; a jump to the call lands on its
                // first instruction (bpf_adj_branches), as OriginalSlot[i] is that slot.
                helpersInlined++;
                r.Changed = true;
                return EmitSequence(r, inst, helper.Instructions, slot);
            }

            if (helpers?.KeptAt(section, inst, i) == true)
            {
                helpersKept++;
            }

            var insn = section.Instructions[i];
            var reloc = section.Relocations[i];
            r.Output.Add(new OutputInstruction
            {
                Insn = insn,
                OldInsn = i,
                Instance = inst,
                Relocation = reloc,
                RelocationSymbol = reloc is null ? -1 : (int)reloc.Raw.SymbolIndex,
                Slot = slot,
            });
            return slot + insn.Width;
        }

        /// <summary>Appends an inline sequence (instructions without an origin, so their own jumps stay as they are).</summary>
        private static int EmitSequence(SectionRebuild r, FunctionInstance inst, IReadOnlyList<Instruction> sequence, int slot)
        {
            foreach (var insn in sequence)
            {
                r.Output.Add(new OutputInstruction { Insn = insn, OldInsn = -1, Instance = inst, Slot = slot });
                slot += insn.Width;
            }

            return slot;
        }

        private void FixPositions(SectionRebuild r)
        {
            foreach (var o in r.Output)
            {
                if (o.OldInsn < 0)
                {
                    continue;
                }

                var insn = o.Insn;
                int symbolBefore = o.RelocationSymbol;
                FixPosition(r, o);
                r.Changed |= o.Insn != insn || o.RelocationSymbol != symbolBefore;
            }
        }

        private void FixPosition(SectionRebuild r, OutputInstruction o)
        {
            var section = r.Section;
            var insn = o.Insn;
            var fn = o.Instance.Function;
            var kind = section.Kinds[o.OldInsn];
            if (kind.IsJump())
            {
                int target = ControlFlowGraph.JumpTarget(fn, o.OldInsn, out _);
                if (target < 0)
                {
                    return; // reported by the analysis as an error already
                }

                int distance = r.SlotOf(o.Instance, target) - o.Slot - 1;
                if (kind != InstructionKind.GotoLong && (distance < short.MinValue || distance > short.MaxValue))
                {
                    diagnostics.Add(obj.DiagnosticAt(fn, o.OldInsn, DiagnosticIds.JumpRange, Severity.Error,
                        $"insn {section.Slots[o.OldInsn]} cannot be patched due to 16-bit range: the jump to insn {section.Slots[target]} would need offset {distance}"));
                    return;
                }

                o.Insn = insn.WithJumpDistance(distance);
                return;
            }

            CallTarget t = kind switch
            {
                InstructionKind.CallLocal => obj.ResolveCall(section, o.OldInsn),
                InstructionKind.LoadImm64 => obj.ResolveFunctionPointer(section, o.OldInsn),
                _ => CallTarget.None,
            };
            if (t.Kind != CallTargetKind.Subprogram || t.Section is not { } ts)
            {
                return;
            }

            var callee = ts.FunctionAt(t.TargetInsn);
            var view = new FunctionInstance(callee, InlineContext(o.Instance) && specialised.Contains(callee));
            var tr = rebuilds[ts];
            int newTarget = tr.SlotOf(view, t.TargetInsn);
            if (kind == InstructionKind.CallLocal)
            {
                if (o.Relocation is null)
                {
                    o.Insn = insn with { Imm = newTarget - o.Slot - 1 }; // pc-relative (RFC 9669 §4.3.1)
                }
                else
                {
                    var sym = RetargetSymbol(o, ts, view);
                    // libbpf: target = sym.st_value / 8 + imm + 1.
                    o.Insn = insn with { Imm = newTarget - (int)(NewSymbolValue(sym) / 8) - 1 };
                }
            }
            else if (o.Relocation is not null)
            {
                var sym = RetargetSymbol(o, ts, view);
                // ld_imm64 code address: target byte offset = sym.st_value + imm (bpf-object-facts §7.9).
                o.Insn = insn with { Imm = (newTarget * 8) - (int)NewSymbolValue(sym) };
            }
        }

        /// <summary>A reference to a copy goes through the section symbol (libbpf refuses LOCAL FUNC for ld_imm64).</summary>
        private int RetargetSymbol(OutputInstruction o, CodeSection target, FunctionInstance view)
        {
            var sym = obj.Elf.Symbols[o.RelocationSymbol];
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
        internal ulong NewSymbolValue(int symbolIndex) => ObjectPatcher.MapSymbolValue(obj, rebuilds, obj.Elf.Symbols[symbolIndex]);
    }
}
