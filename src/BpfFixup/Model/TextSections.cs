// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Elf;

namespace BpfFixup.Model;

/// <summary>
/// One <c>.text</c>: libbpf's bpf_object__elf_collect (tools/lib/bpf/libbpf.c) sets <c>obj-&gt;efile.text_shndx</c>
/// to each non-empty code section named <c>.text</c> in turn, so the last one is the subprogram section
/// (prog_is_subprog) and the functions of an earlier one become main programs of section <c>.text</c>, which no
/// SEC() definition matches: loading the object fails with <c>prog 'f': missing BPF prog type, check ELF section
/// name '.text'</c>, and a call into that section is a <c>bad call relo</c> (bpf_program__record_reloc).
/// </summary>
internal static class TextSections
{
    /// <summary>The error for a second non-empty code section named <c>.text</c>, or null.</summary>
    public static Diagnostic? SecondText(ElfFile elf)
    {
        ElfSection? first = null;
        foreach (var s in elf.Sections)
        {
            // libbpf looks at SHT_PROGBITS sections with data only (data->d_size > 0).
            if (!s.IsCode || s.Size == 0 || s.Name != ".text")
            {
                continue;
            }

            if (first is null)
            {
                first = s;
                continue;
            }

            long header = (long)elf.Header.SectionHeaderOffset + ((long)s.Index * elf.Header.SectionHeaderEntrySize);
            return new Diagnostic
            {
                Id = DiagnosticIds.MalformedElf,
                Severity = Severity.Error,
                File = elf.FileName,
                FileOffset = header,
                Message = $"section {s.Index} (.text, header at 0x{header:x}) is a second code section named .text (the first is section {first.Index}): " +
                    "libbpf takes the last as the subprogram section (bpf_object__elf_collect's text_shndx) and fails to load the functions of the other " +
                    "('missing BPF prog type, check ELF section name '.text'')",
            };
        }

        return null;
    }
}
