// SPDX-License-Identifier: MIT
using BpfFixup.Btf;
using BpfFixup.Diagnostics;
using BpfFixup.Elf;
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>
/// Moves .BTF.ext func_info, line_info and core_relo records with their instructions (insn_off in bytes,
/// bpf-object-facts §3.7), gives each specialised copy copies of its function's records, and keeps
/// .rel.BTF.ext pointing at the insn_off fields (one R_BPF_64_NODYLD32 per field, against the section symbol).
/// </summary>
internal sealed class BtfExtPatcher(BpfObject obj, Dictionary<CodeSection, SectionRebuild> rebuilds, RewritePlan plan, List<Diagnostic> diagnostics)
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

        var ext = BtfExt.Parse(section.Data, elf.ByteOrder, obj.Btf);
        var subsections = new List<BtfExtSubsection> { ext.FuncInfo, ext.LineInfo };
        if (ext.CoreRelo is not null)
        {
            subsections.Add(ext.CoreRelo);
        }

        bool changed = false;
        foreach (var sub in subsections)
        {
            foreach (var group in sub.Sections)
            {
                var code = obj.CodeSections.FirstOrDefault(c => c.Name == group.SectionName);
                if (code is null || !rebuilds.TryGetValue(code, out var r) || !r.Changed)
                {
                    continue;
                }

                var originals = group.Records.ToList();
                foreach (var rec in originals)
                {
                    int insn = rec.InsnOff % 8 == 0 ? code.InsnAtSlot(rec.InsnOff / 8) : -1;
                    if (insn < 0 || insn >= code.Instructions.Length)
                    {
                        return Error(group.SectionName, $".BTF.ext record for {group.SectionName} has insn_off 0x{rec.InsnOff:x}, which is not the start of an instruction");
                    }

                    rec.InsnOff = (uint)r.OriginalSlot[insn] * 8;
                }

                foreach (var f in plan.Specialised.Where(f => f.Section == code))
                {
                    var copyMap = r.CopySlot[f];
                    foreach (var (rec, oldInsn) in OriginalRecordsOf(code, f, originals))
                    {
                        group.Records.Add(rec.CloneAt((uint)copyMap[oldInsn - f.StartInsn] * 8));
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
            int index = 0;
            foreach (var e in elf.GetRelocations(rel))
            {
                // LLVM relocates only insn_off fields here; any other offset has no place in the rewritten section.
                if (e.Offset > int.MaxValue || !positions.TryGetValue((int)e.Offset, out var p))
                {
                    return Error(rel.Name, $"relocation #{index} of {rel.Name} at r_offset 0x{e.Offset:x} is not on the insn_off field of a .BTF.ext record");
                }

                entries.Add(e with { Offset = (ulong)p });
                index++;
            }

            foreach (var (offset, name) in addedFields)
            {
                var code = obj.CodeSections.First(c => c.Name == name);
                int sym = elf.SectionSymbolIndex(code.Elf.Index);

                if (sym >= 0)
                {
                    entries.Add(new ElfRelocation((ulong)offset, (uint)sym, (uint)BpfRelocationType.R64_NoDyld32));
                }
            }

            elf.SetRelocations(rel, [.. entries.OrderBy(e => e.Offset)]);
        }

        return true;
    }

    /// <summary>Adds the error that stops the patch (BPF1004) and returns false.</summary>
    private bool Error(string section, string message)
    {
        diagnostics.Add(new Diagnostic { Id = DiagnosticIds.BtfExtOutOfBounds, Severity = Severity.Error, Message = message, File = obj.FileName, Section = section });
        return false;
    }

    /// <summary>Records that fell inside <paramref name="f"/> before the rewrite, with their instruction.</summary>
    private IEnumerable<(BtfExtRecord Record, int OldInsn)> OriginalRecordsOf(CodeSection code, BpfFunction f, List<BtfExtRecord> originals)
    {
        var r = rebuilds[code];
        foreach (var rec in originals)
        {
            // rec.InsnOff is already the new offset of the original instruction; find that instruction again.
            int newSlot = (int)(rec.InsnOff / 8);
            int lo = f.StartInsn, hi = f.EndInsn - 1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >>> 1;
                int s = r.OriginalSlot[mid];
                if (s == newSlot)
                {
                    yield return (rec, mid);
                    break;
                }

                if (s < newSlot) { lo = mid + 1; } else { hi = mid - 1; }
            }
        }
    }
}
