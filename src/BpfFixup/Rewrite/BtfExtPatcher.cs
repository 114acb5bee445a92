// SPDX-License-Identifier: MIT
using BpfFixup.Btf;
using BpfFixup.Diagnostics;
using BpfFixup.Elf;
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>
/// Moves .BTF.ext func_info, line_info and core_relo records with their instructions (insn_off in bytes,
/// llvm/lib/Target/BPF/BTFDebug.cpp), gives each specialised copy copies of its function's records, and keeps
/// .rel.BTF.ext pointing at the insn_off fields (one R_BPF_64_NODYLD32 per field, against the section symbol).
/// </summary>
internal sealed class BtfExtPatcher(BpfObject obj, Dictionary<CodeSection, EditableSection> sections, RewritePlan plan, List<Diagnostic> diagnostics)
{
    /// <summary>
    /// Patches .BTF.ext in <paramref name="elf"/>; false (with an error) when a record is not on an instruction or a
    /// .rel.BTF.ext entry is not on a record's insn_off field.
    /// </summary>
    public bool Patch(ElfFile elf)
    {
        var section = elf.FindSection(".BTF.ext");
        if (section is null || obj.Btf is null || obj.BtfExt is null)
        {
            return true;
        }

        var ext = obj.BtfExt.CloneForEdit(); // the loaded records, not a second parse of the section
        var subsections = new List<BtfExtSubsection> { ext.FuncInfo, ext.LineInfo };
        if (ext.CoreRelo is not null)
        {
            subsections.Add(ext.CoreRelo);
        }

        var specialisedIn = plan.Specialised.GroupBy(f => f.Section).ToDictionary(g => g.Key, g => g.ToList());
        bool changed = false;
        foreach (var sub in subsections)
        {
            foreach (var group in sub.Sections)
            {
                var code = obj.SectionByName(group.SectionName);
                if (code is null || !sections.TryGetValue(code, out var e) || !e.Changed)
                {
                    continue;
                }

                var originals = new List<(BtfExtRecord Record, int OldInsn)>(group.Records.Count);
                foreach (var rec in group.Records)
                {
                    int insn = e.OldInsnAtByte(rec.InsnOff);
                    if (insn < 0 || insn >= code.Instructions.Length)
                    {
                        return Error(DiagnosticIds.BtfExtOutOfBounds, group.SectionName, $".BTF.ext record for {group.SectionName} has insn_off 0x{rec.InsnOff:x}, which is not the start of an instruction");
                    }

                    originals.Add((rec, insn));
                    rec.InsnOff = (uint)e.ByteOffsetOf(e.OriginalAt(insn));
                }

                if (specialisedIn.TryGetValue(code, out var copied))
                {
                    var records = OriginalRecordsOf(code, copied, originals);
                    foreach (var f in copied)
                    {
                        var copy = new FunctionInstance(f, true);
                        foreach (var (rec, oldInsn) in records.GetValueOrDefault(f) ?? [])
                        {
                            group.Records.Add(rec.CloneAt((uint)e.ByteOffsetOf(e.LabelOf(copy, oldInsn))));
                        }
                    }
                }

                changed = true;
            }
        }

        if (!changed)
        {
            return true;
        }

        var positions = new Dictionary<int, int>();
        var addedFields = new List<(int NewFieldOffset, string SectionName)>();
        section.SetData(ext.Write(elf.ByteOrder, positions, addedFields));
        var rel = elf.RelocationSections.FirstOrDefault(s => s.Info == (uint)section.Index);
        if (rel is not null)
        {
            var entries = new List<ElfRelocation>();
            var relocations = elf.GetRelocations(rel);
            for (int i = 0; i < relocations.Count; i++)
            {
                var e = relocations[i];
                if (e.Offset > int.MaxValue || !positions.TryGetValue((int)e.Offset, out var p))
                {
                    // clang puts one relocation on each record's insn_off and nowhere else; one elsewhere points at
                    // bytes the rewritten section no longer has in that place, so it cannot follow the records.
                    return Error(DiagnosticIds.MalformedBtfExt, rel.Name, $"{rel.Name} relocation #{i}: r_offset 0x{e.Offset:x} is not the insn_off field of a .BTF.ext record, so it cannot follow the records the patch moves");
                }

                entries.Add(e with { Offset = (ulong)p });
            }

            foreach (var (offset, name) in addedFields)
            {
                var code = obj.SectionByName(name) ?? throw new InvalidOperationException($"no code section '{name}' (internal error)");
                int sym = obj.SectionSymbolIndex(code.Elf.Index); // the symbol table is still the original one here

                if (sym >= 0)
                {
                    entries.Add(new ElfRelocation((ulong)offset, (uint)sym, (uint)BpfRelocationType.R64_NoDyld32));
                }
            }

            elf.SetRelocations(rel, [.. entries.OrderBy(e => e.Offset)]);
        }

        return true;
    }

    /// <summary>Adds the error that stops the patch (<paramref name="id"/>) and returns false.</summary>
    private bool Error(string id, string section, string message)
    {
        diagnostics.Add(new Diagnostic { Id = id, Severity = Severity.Error, Message = message, File = obj.FileName, Section = section });
        return false;
    }

    /// <summary>
    /// The records that fell inside each function of <paramref name="functions"/> before the rewrite, with their
    /// instruction, in record order: one look-up per record, not one pass over the records per function.
    /// </summary>
    private static Dictionary<BpfFunction, List<(BtfExtRecord Record, int OldInsn)>> OriginalRecordsOf(CodeSection code, List<BpfFunction> functions, List<(BtfExtRecord Record, int OldInsn)> originals)
    {
        var wanted = functions.ToHashSet();
        var result = new Dictionary<BpfFunction, List<(BtfExtRecord, int)>>();
        foreach (var (rec, insn) in originals)
        {
            var f = code.FunctionAt(insn);
            if (!wanted.Contains(f))
            {
                continue;
            }

            if (!result.TryGetValue(f, out var list))
            {
                list = [];
                result[f] = list;
            }

            list.Add((rec, insn));
        }

        return result;
    }
}
