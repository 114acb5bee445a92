// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Text;
using BpfFixup.Elf;
using BpfFixup.Isa;

namespace BpfFixup.Tests.TestKit;

/// <summary>
/// Writes a minimal but valid ELF64 EM_BPF ET_REL object, laid out the way clang-19 does (llvm-readelf-19 -S of its objects):
/// <c>.strtab</c> first (section and symbol names, e_shstrndx), <c>.text</c> (always present), each code section
/// followed by its <c>.rel&lt;name&gt;</c> (SHT_REL, SHF_INFO_LINK), and <c>.symtab</c> last with sh_info = first
/// global. Symbols: the <c>.text</c> STT_SECTION symbol, LOCAL FUNC symbols for static functions, then GLOBAL
/// FUNC symbols and undefined NOTYPE GLOBAL externs (the kfuncs).
/// </summary>
internal sealed class BpfObjectBuilder(ByteOrder order = ByteOrder.Little)
{
    /// <summary>The name that refers to the <c>.text</c> STT_SECTION symbol in <see cref="Relocate"/>.</summary>
    public const string TextSectionSymbol = ".text";

    private readonly List<SectionBuilder> sections = [new(".text")];
    private readonly List<(string Section, string Name, int Start, bool Global)> functions = [];
    private readonly List<string> externs = [];
    private readonly List<(string Section, int Insn, string Symbol, BpfRelocationType Type)> relocations = [];

    /// <summary>The byte order written.</summary>
    public ByteOrder Order { get; } = order;

    /// <summary>The code section called <paramref name="name"/>, created (after the existing ones) if new.</summary>
    public SectionBuilder Section(string name)
    {
        var s = sections.Find(x => x.Name == name);
        if (s is null)
        {
            s = new SectionBuilder(name);
            sections.Add(s);
        }

        return s;
    }

    /// <summary>A FUNC symbol starting at instruction <paramref name="startInsn"/>; it extends to the next function's start.</summary>
    public BpfObjectBuilder Function(string section, string name, int startInsn, bool global)
    {
        Section(section);
        functions.Add((section, name, startInsn, global));
        return this;
    }

    /// <summary>An undefined NOTYPE GLOBAL symbol (a kfunc).</summary>
    public BpfObjectBuilder Extern(string name)
    {
        if (!externs.Contains(name))
        {
            externs.Add(name);
        }

        return this;
    }

    /// <summary>A relocation on instruction <paramref name="insn"/> (an index, not a slot) against a function, an extern or <see cref="TextSectionSymbol"/>.</summary>
    public BpfObjectBuilder Relocate(string section, int insn, string symbol, BpfRelocationType type)
    {
        relocations.Add((section, insn, symbol, type));
        return this;
    }

    /// <summary>The object's bytes.</summary>
    public byte[] Build()
    {
        var strtab = new StringTableBuilder();

        // Symbols: null, .text section symbol, static functions, then globals and externs.
        var symbols = new List<Sym> { new(0, 0, 0, 0, 0) };
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        const int textShndx = 2;
        index[TextSectionSymbol] = symbols.Count;
        symbols.Add(new Sym(0, ElfSymbol.MakeInfo(ElfConstants.StbLocal, ElfConstants.SttSection), textShndx, 0, 0));

        // Section indices: 0 null, 1 .strtab, then each code section followed by its .rel section (if any), .symtab last.
        var shndx = new Dictionary<string, int>(StringComparer.Ordinal);
        int next = 2;
        foreach (var s in sections)
        {
            shndx[s.Name] = next++;
            if (relocations.Any(r => r.Section == s.Name))
            {
                next++;
            }
        }

        int symtabIndex = next;
        foreach (bool global in new[] { false, true })
        {
            foreach (var f in functions.Where(f => f.Global == global))
            {
                var s = Section(f.Section);
                ulong start = (ulong)s.SlotOf(f.Start) * 8;
                int end = functions.Where(g => g.Section == f.Section && g.Start > f.Start).Select(g => g.Start).DefaultIfEmpty(s.Instructions.Count).Min();
                ulong size = ((ulong)s.SlotOf(end) * 8) - start;
                index[f.Name] = symbols.Count;
                symbols.Add(new Sym(strtab.Add(f.Name), ElfSymbol.MakeInfo(global ? ElfConstants.StbGlobal : ElfConstants.StbLocal, ElfConstants.SttFunc), (ushort)shndx[f.Section], start, size));
            }

            if (!global)
            {
                index["\0firstGlobal"] = symbols.Count;
            }
        }

        foreach (var e in externs)
        {
            index[e] = symbols.Count;
            symbols.Add(new Sym(strtab.Add(e), ElfSymbol.MakeInfo(ElfConstants.StbGlobal, ElfConstants.SttNoType), 0, 0, 0));
        }

        int firstGlobal = index["\0firstGlobal"];

        // Section headers and contents.
        var headers = new List<Header> { new(0, 0, 0, [], 0, 0, 0, 0) };
        uint strtabName = strtab.Add(".strtab");
        headers.Add(new Header(strtabName, ElfConstants.ShtStrtab, 0, [], 0, 0, 1, 0)); // contents filled at the end
        foreach (var s in sections)
        {
            var code = InstructionEncoder.EncodeAll([.. s.Instructions], Order);
            headers.Add(new Header(strtab.Add(s.Name), ElfConstants.ShtProgbits, ElfConstants.ShfAlloc | ElfConstants.ShfExecInstr, code, 0, 0, code.Length == 0 ? 4UL : 8UL, 0));
            var rels = relocations.Where(r => r.Section == s.Name).OrderBy(r => r.Insn).ToList();
            if (rels.Count > 0)
            {
                var bytes = new byte[rels.Count * ElfConstants.RelSize];
                for (int i = 0; i < rels.Count; i++)
                {
                    if (!index.TryGetValue(rels[i].Symbol, out int sym))
                    {
                        throw new InvalidOperationException($"relocation against unknown symbol '{rels[i].Symbol}'");
                    }

                    var span = bytes.AsSpan(i * ElfConstants.RelSize);
                    U64(span, (ulong)s.SlotOf(rels[i].Insn) * 8);
                    U64(span[8..], ((ulong)(uint)sym << 32) | (uint)rels[i].Type);
                }

                headers.Add(new Header(strtab.Add(".rel" + s.Name), ElfConstants.ShtRel, ElfConstants.ShfInfoLink, bytes, (uint)symtabIndex, (uint)shndx[s.Name], 8, ElfConstants.RelSize));
            }
        }

        var symtab = new byte[symbols.Count * ElfConstants.SymbolSize];
        for (int i = 0; i < symbols.Count; i++)
        {
            var span = symtab.AsSpan(i * ElfConstants.SymbolSize);
            var sym = symbols[i];
            U32(span, sym.Name);
            span[4] = sym.Info;
            span[5] = 0;
            U16(span[6..], sym.Shndx);
            U64(span[8..], sym.Value);
            U64(span[16..], sym.Size);
        }

        headers.Add(new Header(strtab.Add(".symtab"), ElfConstants.ShtSymtab, 0, symtab, 1, (uint)firstGlobal, 8, ElfConstants.SymbolSize));
        headers[1] = headers[1] with { Data = strtab.ToArray() };

        // Layout: ELF header, contents in section order (aligned), section header table (aligned 8).
        var offsets = new ulong[headers.Count];
        ulong cursor = ElfConstants.HeaderSize;
        for (int i = 1; i < headers.Count; i++)
        {
            cursor = Align(cursor, Math.Max(headers[i].Align, 1));
            offsets[i] = cursor;
            cursor += (ulong)headers[i].Data.Length;
        }

        ulong shoff = Align(cursor, 8);
        var output = new byte[shoff + ((ulong)headers.Count * ElfConstants.SectionHeaderSize)];
        output[0] = 0x7f;
        output[1] = (byte)'E';
        output[2] = (byte)'L';
        output[3] = (byte)'F';
        output[4] = ElfConstants.ElfClass64;
        output[5] = Order == ByteOrder.Little ? (byte)1 : (byte)2;
        output[6] = 1; // EV_CURRENT
        U16(output.AsSpan(16), ElfConstants.EtRel);
        U16(output.AsSpan(18), ElfConstants.EmBpf);
        U32(output.AsSpan(20), 1);
        U64(output.AsSpan(40), shoff);
        U16(output.AsSpan(52), ElfConstants.HeaderSize);
        U16(output.AsSpan(58), ElfConstants.SectionHeaderSize);
        U16(output.AsSpan(60), (ushort)headers.Count);
        U16(output.AsSpan(62), 1); // e_shstrndx = .strtab, like clang
        for (int i = 1; i < headers.Count; i++)
        {
            var h = headers[i];
            h.Data.CopyTo(output.AsSpan((int)offsets[i]));
            var b = output.AsSpan((int)shoff + (i * ElfConstants.SectionHeaderSize));
            U32(b, h.Name);
            U32(b[4..], h.Type);
            U64(b[8..], h.Flags);
            U64(b[24..], offsets[i]);
            U64(b[32..], (ulong)h.Data.Length);
            U32(b[40..], h.Link);
            U32(b[44..], h.Info);
            U64(b[48..], h.Align);
            U64(b[56..], h.EntSize);
        }

        return output;
    }

    private static ulong Align(ulong v, ulong a) => (v + a - 1) & ~(a - 1);

    private void U16(Span<byte> b, ushort v)
    {
        if (Order == ByteOrder.Little) { BinaryPrimitives.WriteUInt16LittleEndian(b, v); } else { BinaryPrimitives.WriteUInt16BigEndian(b, v); }
    }

    private void U32(Span<byte> b, uint v)
    {
        if (Order == ByteOrder.Little) { BinaryPrimitives.WriteUInt32LittleEndian(b, v); } else { BinaryPrimitives.WriteUInt32BigEndian(b, v); }
    }

    private void U64(Span<byte> b, ulong v)
    {
        if (Order == ByteOrder.Little) { BinaryPrimitives.WriteUInt64LittleEndian(b, v); } else { BinaryPrimitives.WriteUInt64BigEndian(b, v); }
    }

    private readonly record struct Sym(uint Name, byte Info, ushort Shndx, ulong Value, ulong Size);

    private readonly record struct Header(uint Name, uint Type, ulong Flags, byte[] Data, uint Link, uint Info, ulong Align, ulong EntSize);

    private sealed class StringTableBuilder
    {
        private readonly List<byte> bytes = [0];
        private readonly Dictionary<string, uint> seen = new(StringComparer.Ordinal) { [string.Empty] = 0 };

        public uint Add(string s)
        {
            if (!seen.TryGetValue(s, out uint at))
            {
                at = (uint)bytes.Count;
                bytes.AddRange(Encoding.UTF8.GetBytes(s));
                bytes.Add(0);
                seen[s] = at;
            }

            return at;
        }

        public byte[] ToArray() => [.. bytes];
    }
}

/// <summary>One code section's instructions.</summary>
internal sealed class SectionBuilder(string name)
{
    /// <summary>The section name.</summary>
    public string Name { get; } = name;

    /// <summary>The instructions in order (ld_imm64 is one entry of two slots).</summary>
    public List<Instruction> Instructions { get; } = [];

    /// <summary>Appends one instruction; returns its index.</summary>
    public int Add(Instruction insn)
    {
        Instructions.Add(insn);
        return Instructions.Count - 1;
    }

    /// <summary>The first slot of instruction <paramref name="insn"/> (the slot count for the index one past the end).</summary>
    public int SlotOf(int insn)
    {
        int slot = 0;
        for (int i = 0; i < insn; i++)
        {
            slot += Instructions[i].Width;
        }

        return slot;
    }
}
