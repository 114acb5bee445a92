// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Text;
using BpfFixup.Model;

namespace BpfFixup.Rendering;

/// <summary>
/// Renders a <see cref="BpfObject"/> as <c>bpffixup dump</c> prints it: the layout of <c>llvm-objdump-19 -dr</c>
/// (llvm/tools/llvm-objdump/llvm-objdump.cpp) with a few annotations of our own, each on a line or in a comment llvm-objdump never prints:
/// <code>
///
/// session_basic-el.o:	file format elf64-bpf
///
/// Disassembly of section fsession/do_unlinkat:
///
/// 0000000000000000 &lt;unlink_lat&gt;:  ; prog_type=tracing attach_type=trace_fsession
///        5:	85 10 00 00 ff ff ff ff	call -0x1
/// 		0000000000000028:  R_BPF_64_32	bpf_session_cookie
/// 		; session kfunc bpf_session_cookie [trace_fsession]
/// </code>
/// Instruction lines: slot index right-aligned in 8 columns, <c>:</c>, TAB, the raw bytes (unless turned off) and
/// a TAB, then the text in the chosen syntax (the same layout for both syntaxes). After it: the ELF relocation
/// line, CO-RE lines (<c>\t\t&lt;byte offset&gt;:  CO-RE &lt;byte_off&gt; [33] struct filename::name (0:0)</c>) and the
/// session-kfunc mark. With source on, <c>; &lt;text&gt; @ file:line:col</c> precedes an instruction where a
/// line_info record starts. The text is deterministic: it depends only on the bytes and the name given.
/// </summary>
public sealed class ListingWriter(ListingOptions options)
{
    /// <summary>The options.</summary>
    public ListingOptions Options { get; } = options;

    /// <summary>Renders <paramref name="obj"/> into a string.</summary>
    public string Render(BpfObject obj)
    {
        using var w = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        Write(obj, w);
        return w.ToString();
    }

    /// <summary>Writes the listing of <paramref name="obj"/> to <paramref name="output"/>.</summary>
    public void Write(BpfObject obj, TextWriter output)
    {
        var sb = new StringBuilder(BufferedText.Threshold + 1024);
        sb.Append('\n');
        Printable.Append(sb, obj.FileName).Append(":\tfile format elf64-bpf\n");
        var marks = new SessionMarks(obj);
        foreach (var section in obj.CodeSections)
        {
            if (!Options.IncludesSection(section.Name) || section.Instructions.Length == 0 || !AnyFunction(section))
            {
                continue;
            }

            sb.Append("\nDisassembly of section ");
            Printable.Append(sb, section.Name).Append(":\n");
            var view = new SectionView(obj, section);
            foreach (var fn in section.Functions)
            {
                if (Options.IncludesFunction(fn.Name))
                {
                    WriteFunction(view, fn, marks, sb, output);
                }
            }
        }

        BufferedText.Flush(output, sb);
    }

    private bool AnyFunction(CodeSection section)
    {
        foreach (var fn in section.Functions)
        {
            if (Options.IncludesFunction(fn.Name))
            {
                return true;
            }
        }

        return false;
    }

    private void WriteFunction(SectionView view, BpfFunction fn, SessionMarks marks, StringBuilder sb, TextWriter output)
    {
        var section = view.Section;
        var labels = view.Labels;
        int li = labels.FirstAtOrAfter(fn.StartSlot);
        bool headed = false;
        for (int insn = fn.StartInsn; insn < fn.EndInsn; insn++)
        {
            int slot = section.Slots[insn];
            int width = section.Slots.IsWide(insn) ? 2 : 1;
            int nextSlot = slot + width;

            // Labels at this slot (a label on the second slot of an ld_imm64 is skipped, as it names no instruction).
            for (; li < labels.Count && labels.SlotOf(li) < nextSlot; li++)
            {
                if (labels.SlotOf(li) == slot)
                {
                    AppendHeader(sb, slot, labels.NameOf(li), Options.ShowAnnotations && insn == fn.StartInsn && labels.NameOf(li) == fn.Name ? fn : null);
                    headed |= insn == fn.StartInsn;
                }
            }

            if (!headed)
            {
                // A function with no symbol at its start (code before the first FUNC symbol): head it with its name.
                AppendHeader(sb, slot, fn.Name, Options.ShowAnnotations ? fn : null);
                headed = true;
            }

            if (Options.ShowSource && view.SourceAt(slot) is { } src)
            {
                sb.Append("; ");
                AppendSanitized(sb, src.Text ?? string.Empty);
                sb.Append(" @ ");
                AppendSanitized(sb, src.ToString());
                sb.Append('\n');
            }

            HexBytes.AppendPadded(sb, slot, 8);
            sb.Append(":\t");
            if (Options.ShowRawBytes)
            {
                HexBytes.Append(sb, view.BytesAt(slot, width), ' ');
                sb.Append('\t');
            }

            // Instruction text names symbols, kfuncs and BTF types from the file.
            int text = sb.Length;
            if (Options.Syntax == ListingSyntax.Xlated)
            {
                view.AppendXlated(sb, insn);
            }
            else
            {
                view.AppendLlvm(sb, insn);
            }

            Printable.EscapeTail(sb, text).Append('\n');
            if (Options.ShowRelocations && section.Relocations[insn] is { } r)
            {
                sb.Append("\t\t");
                HexBytes.AppendAddress(sb, r.Raw.Offset);
                sb.Append(":  ").Append(SectionView.TypeName(r)).Append('\t');
                AppendSanitized(sb, r.SymbolName);
                sb.Append('\n');
            }

            if (Options.ShowRelocations && view.CoreAt(slot) is { } core)
            {
                foreach (var rec in core)
                {
                    sb.Append("\t\t");
                    HexBytes.AppendAddress(sb, rec.InsnOff);
                    sb.Append(":  CO-RE ");
                    int core0 = sb.Length;
                    view.AppendCore(sb, rec);
                    Printable.EscapeTail(sb, core0).Append('\n');
                }
            }

            if (Options.ShowAnnotations && marks.At(section, insn) is { } site)
            {
                int mark = sb.Length;
                sb.Append("\t\t; session kfunc ").Append(Model.SessionKfuncs.NameOf(site.Kfunc))
                  .Append(" [").Append(marks.AttachText(site)).Append(']');
                Printable.EscapeTail(sb, mark).Append('\n');
            }

            BufferedText.FlushIfFull(output, sb);
        }
    }

    private static void AppendHeader(StringBuilder sb, int slot, string name, BpfFunction? program)
    {
        sb.Append('\n');
        int start = sb.Length;
        HexBytes.AppendAddress(sb, (ulong)slot * 8);
        sb.Append(" <").Append(name).Append(">:");
        if (program is { IsSubprogram: false })
        {
            if (program.Definition is { } def)
            {
                sb.Append("  ; prog_type=").Append(TypeNames.Of(def.ProgramType)).Append(" attach_type=").Append(def.AttachTypeName);
                if (def.Sleepable)
                {
                    sb.Append(" sleepable");
                }
            }
            else
            {
                sb.Append("  ; prog_type=unknown");
            }
        }

        Printable.EscapeTail(sb, start).Append('\n');
    }

    // Names and source text come from the file: a control character would break the one-line-per-item layout.
    private static void AppendSanitized(StringBuilder sb, string text) => Printable.Append(sb, text);
}
