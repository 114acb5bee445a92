// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Reflection;
using BpfFixup.Diagnostics;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Rewrite;
using BpfFixup.Tests.Interop;
using BpfFixup.Tests.TestKit;
using ELFSharp.ELF;
using ELFSharp.ELF.Sections;

namespace BpfFixup.Tests.Elf;

/// <summary>
/// ELFSharp 2.17.3 (a read-only ELF library written independently of ours) as a second reader: for every sample,
/// the CO-RE samples, generated and crafted objects, in both byte orders, and for the objects our writer produces
/// (patch output), the section headers, symbols and relocations it reads equal those src/BpfFixup/Elf reads.
/// ELFSharp keeps sh_link and sh_info in an internal header (read here by reflection) and has no relocation
/// reader: Elf64_Rel entries are decoded by this test from the bytes ELFSharp gives for each SHT_REL section, in
/// the byte order ELFSharp found.
/// </summary>
public class ElfSharpCrossCheckTests
{
    private const uint ShtRel = 9;

    private static readonly PropertyInfo HeaderProperty =
        typeof(Section<ulong>).GetProperty("Header", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("ELFSharp's Section<T>.Header is gone: update the cross-check");

    private static readonly PropertyInfo LinkProperty = HeaderField("Link");

    private static readonly PropertyInfo InfoProperty = HeaderField("Info");

    public static TheoryData<string> AllSampleObjects()
    {
        var data = new TheoryData<string>();
        foreach (string f in TestPaths.AllSamples().Concat(TestPaths.CoreSamples()))
        {
            data.Add(Path.GetRelativePath(TestPaths.SampleObjects, f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllSampleObjects))]
    public void Sample_tables_equal_elfsharps(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.SampleObjects, name));
        AssertSame(bytes, bytes, name);
    }

    [Theory]
    [InlineData("Rendering/core-crafted-el.o")]
    [InlineData("Rendering/core-crafted-eb.o")]
    [InlineData("Cli/empty_prog.o")]
    public void Test_data_object_tables_equal_elfsharps(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", name));
        AssertSame(bytes, bytes, name);
    }

    [Theory]
    [InlineData(ByteOrder.Little)]
    [InlineData(ByteOrder.Big)]
    public void Built_object_tables_equal_elfsharps(ByteOrder order)
    {
        var bytes = BpfObjectBuilderTests.Small(order);
        Assert.Equal(order == ByteOrder.Big ? 2 : 1, bytes[5]);
        AssertSame(bytes, bytes, $"builder-{order}");
    }

    /// <summary>The objects our writer produces: patched samples (sections grown, relocations and symbols rewritten).</summary>
    [Theory]
    [InlineData("session_basic-el.o")]
    [InlineData("session_basic-eb.o")]
    [InlineData("session_subprog-el.o")]
    [InlineData("session_subprog-eb-v4.o")]
    [InlineData("session_subprog-linked.o")]
    [InlineData("helpers_tracing-eb.o")]
    public void Patched_object_tables_equal_elfsharps(string sample)
    {
        foreach (bool keepDebug in new[] { false, true })
        {
            var options = new RewriteOptions { Abi = KernelAbi.Find("linux-7.0")!, KeepDebug = keepDebug };
            var output = FixupPipeline.Run(File.ReadAllBytes(TestPaths.Sample(sample)), sample, options).Rewrite?.Output;
            Assert.NotNull(output);
            AssertSame(output, output, $"{sample} patched (keep-debug {keepDebug})");
        }
    }

    /// <summary>Objects of gen-large.sh's generator, assembled little-endian by the script and big-endian here.</summary>
    [InteropTheory("llvm-mc-19", "llvm-objdump-19", "python3")]
    [InlineData("0.01")]
    [InlineData("0.02 --funcs 1")]
    [InlineData("0.02 --variant")]
    [InlineData("0.01 --funcs 300 --bad")]
    public void Generated_object_tables_equal_elfsharps(string arguments)
    {
        string dir = Directory.CreateTempSubdirectory("bpffixup-elfsharp-").FullName;
        try
        {
            string script = Path.Combine(TestPaths.RepoRoot, "samples", "bench", "gen-large.sh");
            string le = Path.Combine(dir, "gen-el.o");
            ExternalTool.RunChecked("bash", [script, le, .. arguments.Split(' ')], TimeSpan.FromMinutes(2));
            string be = Path.Combine(dir, "gen-eb.o");
            ExternalTool.RunChecked("llvm-mc-19", ["-triple", "bpfeb", "-filetype=obj", Path.ChangeExtension(le, ".s"), "-o", be], TimeSpan.FromMinutes(2));
            foreach (string obj in new[] { le, be })
            {
                var bytes = File.ReadAllBytes(obj);
                Assert.Equal(obj == be ? 2 : 1, bytes[5]);
                AssertSame(bytes, bytes, $"{Path.GetFileName(obj)} ({arguments})");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The comparison can fail: one changed field of any table is found.</summary>
    [Theory]
    [InlineData("sh_link")]
    [InlineData("sh_info")]
    [InlineData("sh_addralign")]
    [InlineData("st_value")]
    [InlineData("st_info")]
    [InlineData("r_info")]
    [InlineData("r_offset")]
    public void A_changed_field_is_a_difference(string field)
    {
        foreach (string sample in new[] { "session_basic-el.o", "session_basic-eb.o" })
        {
            var bytes = File.ReadAllBytes(TestPaths.Sample(sample));
            var changed = (byte[])bytes.Clone();
            Mutate(changed, field);
            var differences = Differences(Ours(bytes, sample), Theirs(changed));
            Assert.True(differences.Count > 0, $"{sample}: changing {field} went unseen");
        }
    }

    private static void AssertSame(byte[] oursBytes, byte[] theirsBytes, string name)
    {
        var differences = Differences(Ours(oursBytes, name), Theirs(theirsBytes));
        Assert.True(differences.Count == 0, $"{name}: {differences.Count} differences from ELFSharp:\n{string.Join('\n', differences.Take(20))}");
    }

    private static ElfFile Ours(byte[] bytes, string name)
    {
        var diags = new DiagnosticBag();
        Assert.True(ElfReader.TryRead(bytes, name, diags, out var file), string.Join("\n", diags.Items));
        return file!;
    }

    private static ELF<ulong> Theirs(byte[] bytes)
    {
        Assert.True(ELFReader.TryLoad<ulong>(new MemoryStream(bytes, writable: false), true, out var elf), "ELFSharp cannot read the object");
        return elf;
    }

    /// <summary>Every field of every section, symbol and relocation where the two readers disagree.</summary>
    private static List<string> Differences(ElfFile ours, ELF<ulong> theirs)
    {
        var diffs = new List<string>();
        void Check<T>(string what, T mine, T elfSharp)
        {
            if (!EqualityComparer<T>.Default.Equals(mine, elfSharp))
            {
                diffs.Add($"{what}: ours {mine}, ELFSharp {elfSharp}");
            }
        }

        Check("endianness", ours.ByteOrder == ByteOrder.Big, theirs.Endianess == ELFSharp.Endianess.BigEndian);
        Check("section count", ours.Sections.Count, theirs.Sections.Count);
        for (int i = 0; i < Math.Min(ours.Sections.Count, theirs.Sections.Count); i++)
        {
            var o = ours.Sections[i];
            var t = theirs.Sections[i];
            object header = HeaderProperty.GetValue(t)!;
            string at = $"section [{i}] {o.Name}";
            Check(at + " index", i, o.Index);
            Check(at + " name", o.Name, t.Name);
            Check(at + " sh_name", o.NameOffset, t.NameIndex);
            Check(at + " sh_type", o.Type, (uint)t.Type);
            Check(at + " sh_flags", o.Flags, t.RawFlags);
            Check(at + " sh_addr", o.Address, t.LoadAddress);
            Check(at + " sh_offset", o.Offset, t.Offset);
            Check(at + " sh_size", o.Size, t.Size);
            Check(at + " sh_link", o.Link, (uint)LinkProperty.GetValue(header)!);
            Check(at + " sh_info", o.Info, (uint)InfoProperty.GetValue(header)!);
            Check(at + " sh_addralign", o.Alignment, t.Alignment);
            Check(at + " sh_entsize", o.EntrySize, t.EntrySize);
            if (o.HasFileData && i > 0)
            {
                Check(at + " bytes", Convert.ToHexString(o.Data), Convert.ToHexString(t.GetContents()));
            }
        }

        var symtab = theirs.Sections.OfType<SymbolTable<ulong>>().Where(s => s.Type == SectionType.SymbolTable).ToList();
        Check("symbol tables", ours.SymbolTable is null ? 0 : 1, symtab.Count);
        var theirSymbols = symtab.Count == 1 ? symtab[0].Entries.ToList() : [];
        Check("symbol count", ours.Symbols.Count, theirSymbols.Count);
        for (int i = 0; i < Math.Min(ours.Symbols.Count, theirSymbols.Count); i++)
        {
            var o = ours.Symbols[i];
            var t = theirSymbols[i];
            string at = $"symbol [{i}] {o.Name}";
            // An unnamed STT_SECTION symbol takes its section's name in ours (as llvm-objdump prints it); ELFSharp
            // gives the empty st_name string.
            bool namedBySection = o.Type == ElfConstants.SttSection && o.NameOffset == 0 && o.HasSection;
            Check(at + " name", namedBySection ? string.Empty : o.Name, t.Name);
            if (namedBySection)
            {
                Check(at + " section name", o.Name, theirs.Sections[o.SectionIndex].Name);
            }

            Check(at + " st_value", o.Value, t.Value);
            Check(at + " st_size", o.Size, t.Size);
            Check(at + " binding", (int)o.Binding, (int)t.Binding);
            Check(at + " type", (int)o.Type, (int)t.Type);
            Check(at + " st_shndx", o.SectionIndex, t.PointedSectionIndex);
        }

        bool big = theirs.Endianess == ELFSharp.Endianess.BigEndian;
        for (int i = 0; i < theirs.Sections.Count; i++)
        {
            var t = theirs.Sections[i];
            if ((uint)t.Type != ShtRel)
            {
                continue;
            }

            // Elf64_Rel (gABI "Relocation"): r_offset, r_info = sym << 32 | type.
            var raw = t.GetContents();
            var theirRelocs = new List<(ulong Offset, uint Symbol, uint Type)>();
            for (int at = 0; at + 16 <= raw.Length; at += 16)
            {
                ulong offset = big ? BinaryPrimitives.ReadUInt64BigEndian(raw.AsSpan(at)) : BinaryPrimitives.ReadUInt64LittleEndian(raw.AsSpan(at));
                ulong info = big ? BinaryPrimitives.ReadUInt64BigEndian(raw.AsSpan(at + 8)) : BinaryPrimitives.ReadUInt64LittleEndian(raw.AsSpan(at + 8));
                theirRelocs.Add((offset, (uint)(info >> 32), (uint)info));
            }

            var mine = i < ours.Sections.Count ? ours.GetRelocations(ours.Sections[i]).Select(r => (r.Offset, r.SymbolIndex, r.Type)).ToList() : [];
            string where = $"{t.Name} ({theirRelocs.Count} relocations)";
            Check(where + " count", mine.Count, theirRelocs.Count);
            for (int r = 0; r < Math.Min(mine.Count, theirRelocs.Count); r++)
            {
                Check($"{t.Name} [{r}]", mine[r], theirRelocs[r]);
            }
        }

        return diffs;
    }

    /// <summary>A property of ELFSharp's internal SectionHeader.</summary>
    private static PropertyInfo HeaderField(string name) =>
        HeaderProperty.PropertyType.GetProperty(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException($"ELFSharp's SectionHeader.{name} is gone: update the cross-check");

    /// <summary>Changes one field in the raw bytes: the first section, symbol or relocation where the change shows.</summary>
    private static void Mutate(byte[] bytes, string field)
    {
        var elf = Ours(bytes, "mutate");
        var e = elf.Endian;
        bool big = elf.ByteOrder == ByteOrder.Big;
        ulong shoff = e.U64(bytes.AsSpan(0x28));
        void Add32(int at) => Write32(bytes, at, e.U32(bytes.AsSpan(at)) + 1, big);
        void Add64(int at) => Write64(bytes, at, e.U64(bytes.AsSpan(at)) + 8, big);
        var sym = elf.SymbolTable!;
        var rel = elf.RelocationSections.First(s => s.Size >= 16);
        switch (field)
        {
            case "sh_link": Add32((int)shoff + (64 * 2) + 40); break;
            case "sh_info": Add32((int)shoff + (64 * 2) + 44); break;
            case "sh_addralign": Add64((int)shoff + (64 * 3) + 48); break;
            case "st_value": Add64((int)sym.Offset + (24 * 2) + 8); break;
            case "st_info": bytes[(int)sym.Offset + (24 * 2) + 4] ^= 0x10; break;
            case "r_offset": Add64((int)rel.Offset); break;
            case "r_info": Add32((int)rel.Offset + 8 + (big ? 4 : 0)); break;
            default: throw new ArgumentOutOfRangeException(nameof(field), field, null);
        }
    }

    private static void Write32(byte[] b, int at, uint v, bool big)
    {
        if (big)
        {
            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), v);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);
        }
    }

    private static void Write64(byte[] b, int at, ulong v, bool big)
    {
        if (big)
        {
            BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(at), v);
        }
        else
        {
            BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(at), v);
        }
    }
}
