// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Elf;
using BpfFixup.Model;
using BpfFixup.Rewrite;
using BpfFixup.Tests.Interop;

namespace BpfFixup.Tests.Rewrite;

/// <summary>
/// Every patchable sample through the rewriter, then through the independent validators (llvm-objdump-19, llvm-readelf-19, bpftool's btf dump, gen object and gen skeleton)
/// (libbpf's linker and open via bpftool, llvm-objdump-19, llvm-readelf-19), and through the checks no tool makes
/// (none of them does): .BTF.ext insn_off bounds, alignment and order, .rel.BTF.ext offsets, DWARF dropped or kept stale.
/// </summary>
public sealed class PatchedSampleInteropTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("bpffixup-patched-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    /// <summary>Samples the rewriter must accept (session_bad, session_oldproto, session_global and session_retcode must be rejected).</summary>
    public static TheoryData<string> Good()
    {
        var data = new TheoryData<string>();
        foreach (string f in GoodNames())
        {
            data.Add(f);
        }

        return data;
    }

    private static IEnumerable<string> GoodNames() =>
        TestPaths.AllSamples().Select(p => Path.GetFileName(p))
            .Where(f => !f.StartsWith("session_bad", StringComparison.Ordinal) && !f.StartsWith("session_oldproto", StringComparison.Ordinal)
                && !f.StartsWith("session_global", StringComparison.Ordinal) && !f.StartsWith("session_retcode", StringComparison.Ordinal));

    /// <summary>Little-endian samples with .BTF: what libbpf reads.</summary>
    public static TheoryData<string> GoodLittleEndianWithBtf()
    {
        var data = new TheoryData<string>();
        foreach (string f in GoodNames())
        {
            var obj = TestHelpers.LoadSample(f);
            if (obj.ByteOrder == ByteOrder.Little && obj.Btf is not null)
            {
                data.Add(f);
            }
        }

        return data;
    }

    [Fact]
    public void Sample_lists_are_not_empty()
    {
        Assert.True(Good().Count >= 15, $"{Good().Count} good samples");
        Assert.True(GoodLittleEndianWithBtf().Count >= 7, $"{GoodLittleEndianWithBtf().Count} LE samples with BTF");
    }

    [InteropTheory("bpftool")]
    [MemberData(nameof(GoodLittleEndianWithBtf))]
    public void Libbpf_links_and_opens_the_patched_object(string name)
    {
        string patched = WritePatched(name, new RewriteOptions());
        // libbpf 1.1 cannot link two objects referencing the same kfunc: one input at a time ("failed to resolve size of underlying type: -22").
        var link = ExternalTool.Run("bpftool", ["gen", "object", Path.Combine(temp, "linked.o"), patched]);
        Assert.True(link.ExitCode == 0, $"bpftool gen object exited {link.ExitCode}: {link.Stderr}");
        var skel = ExternalTool.Run("bpftool", ["gen", "skeleton", patched]);
        Assert.True(skel.ExitCode == 0, $"bpftool gen skeleton exited {skel.ExitCode}: {skel.Stderr}");
    }

    [InteropTheory("llvm-objdump-19", "llvm-readelf-19")]
    [MemberData(nameof(Good))]
    public void Llvm_tools_read_the_patched_object_without_warnings(string name)
    {
        foreach (bool keepDebug in new[] { false, true })
        {
            string patched = WritePatched(name, new RewriteOptions { KeepDebug = keepDebug });
            foreach (var (tool, args) in new[] { ("llvm-objdump-19", new[] { "-dr", patched }), ("llvm-readelf-19", new[] { "-a", patched }) })
            {
                var r = ExternalTool.Run(tool, args);
                Assert.True(r.ExitCode == 0 && r.Stderr.Length == 0, $"{tool} {string.Join(' ', args)} (keep-debug {keepDebug}) exited {r.ExitCode}: {r.Stderr}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Good))]
    public void Btf_ext_records_and_their_relocations_follow_the_new_layout(string name)
    {
        var input = TestHelpers.LoadSample(name);
        var result = Rewrite(input, new RewriteOptions());
        var output = TestHelpers.Load(result.Output!, name);
        Assert.True(output.Diagnostics.Count == 0, string.Join("\n", output.Diagnostics)); // BadRelocation, BadSymbol, ...
        if (input.BtfExt is null)
        {
            return;
        }

        var ext = output.BtfExt!;
        var subs = new[] { ("func_info", ext.FuncInfo), ("line_info", ext.LineInfo) }.Concat(ext.CoreRelo is { } c ? [("core_relo", c)] : []);
        foreach (var (what, sub) in subs)
        {
            foreach (var group in sub.Sections)
            {
                var code = output.CodeSections.SingleOrDefault(s => s.Name == group.SectionName);
                Assert.True(code is not null, $"{what} group for unknown section '{group.SectionName}'");
                foreach (var rec in group.Records)
                {
                    Assert.True(rec.InsnOff % 8 == 0, $"{what} {group.SectionName}: insn_off 0x{rec.InsnOff:x} not a multiple of 8");
                    Assert.True(rec.InsnOff < (ulong)code!.SlotCount * 8, $"{what} {group.SectionName}: insn_off 0x{rec.InsnOff:x} past the end 0x{code.SlotCount * 8:x}");
                    int insn = code.InsnAtSlot(rec.InsnOff / 8);
                    Assert.True(insn >= 0 && insn < code.Instructions.Length, $"{what} {group.SectionName}: insn_off 0x{rec.InsnOff:x} is inside an ld_imm64");
                }

                if (what != "core_relo")
                {
                    var offs = group.Records.Select(r => r.InsnOff).ToList();
                    Assert.True(offs.SequenceEqual(offs.Order()), $"{what} {group.SectionName} not sorted: {string.Join(",", offs.Select(o => $"0x{o:x}"))}");
                }

                if (what == "func_info")
                {
                    var offs = group.Records.Select(r => r.InsnOff).ToList();
                    Assert.True(offs.Distinct().Count() == offs.Count, $"func_info {group.SectionName}: two records for one instruction");
                }
            }
        }

        // Each function that had a func_info record still has one at its (new) start; copies get one too.
        var copies = result.Summary!.Specialised.ToDictionary(s => s.Copy, s => s.Original);
        foreach (var f in output.Functions.Where(f => f.Symbol is not null))
        {
            string origName = copies.GetValueOrDefault(f.Name, f.Name);
            var before = input.Functions.Single(g => g.Name == origName);
            bool had = input.BtfExt.FuncInfo.For(before.Section.Name)?.Records.Any(r => r.InsnOff == (uint)before.StartSlot * 8) ?? false;
            bool has = ext.FuncInfo.For(f.Section.Name)?.Records.Any(r => r.InsnOff == (uint)f.StartSlot * 8) ?? false;
            Assert.True(had == has, $"{f.Name}: func_info at its start before {had}, after {has}");
        }

        CheckRelBtfExt(input, output);
    }

    [Theory]
    [MemberData(nameof(Good))]
    public void Dwarf_is_dropped_by_default_and_kept_stale_with_a_warning_on_request(string name)
    {
        var input = TestHelpers.LoadSample(name);
        bool hadDebug = input.Elf.Sections.Any(s => s.Name.StartsWith(".debug_", StringComparison.Ordinal));
        var dropped = Rewrite(input, new RewriteOptions());
        var kept = Rewrite(input, new RewriteOptions { KeepDebug = true });
        var a = TestHelpers.Load(dropped.Output!, name);
        var b = TestHelpers.Load(kept.Output!, name);
        if (dropped.Summary!.Unchanged)
        {
            Assert.Equal(File.ReadAllBytes(TestPaths.Sample(name)), dropped.Output);
            Assert.Empty(dropped.Summary.DroppedSections);
            return;
        }

        Assert.DoesNotContain(a.Elf.Sections, s => s.Name.StartsWith(".debug_", StringComparison.Ordinal) || s.Name.StartsWith(".rel.debug_", StringComparison.Ordinal));
        Assert.Equal(hadDebug, dropped.Diagnostics.Any(d => d.Id == DiagnosticIds.DebugDropped));
        Assert.Equal(
            input.Elf.Sections.Where(s => s.Name.StartsWith(".debug_", StringComparison.Ordinal) || s.Name.StartsWith(".rel.debug_", StringComparison.Ordinal)).Select(s => s.Name).Order(),
            dropped.Summary.DroppedSections.Order());
        Assert.DoesNotContain(dropped.Diagnostics, d => d.Id == DiagnosticIds.DebugStale);

        Assert.Equal(
            input.Elf.Sections.Where(s => s.Name.Contains(".debug_", StringComparison.Ordinal)).Select(s => s.Name),
            b.Elf.Sections.Where(s => s.Name.Contains(".debug_", StringComparison.Ordinal)).Select(s => s.Name));
        Assert.Equal(hadDebug, kept.Diagnostics.Any(d => d.Id == DiagnosticIds.DebugStale && d.Severity == Severity.Warning));
        Assert.Empty(kept.Summary!.DroppedSections);
        Assert.Empty(b.Diagnostics);
        // Code is the same either way.
        Assert.Equal(a.CodeSections.Select(c => string.Join(";", c.Instructions)), b.CodeSections.Select(c => string.Join(";", c.Instructions)));
    }

    // ---------------------------------------------------------------- helpers

    private static RewriteResult Rewrite(BpfObject obj, RewriteOptions options)
    {
        var result = ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(obj), options);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.NotNull(result.Output);
        return result;
    }

    private string WritePatched(string name, RewriteOptions options)
    {
        var result = Rewrite(TestHelpers.LoadSample(name), options);
        string path = Path.Combine(temp, (options.KeepDebug ? "keep-" : string.Empty) + name);
        File.WriteAllBytes(path, result.Output!);
        return path;
    }

    /// <summary>
    /// Parses .BTF.ext by hand (struct btf_ext_header in tools/lib/bpf/libbpf_internal.h, llvm/lib/Target/BPF/BTF.h) for the position of every insn_off field and the section each
    /// belongs to; every .rel.BTF.ext entry must sit on one, against that section's STT_SECTION symbol, one per field
    /// when the input had one per field.
    /// </summary>
    private static void CheckRelBtfExt(BpfObject input, BpfObject output)
    {
        var fieldsIn = InsnOffFields(input);
        var relIn = RelBtfExt(input);
        var fields = InsnOffFields(output);
        var rel = RelBtfExt(output);
        if (relIn is null)
        {
            Assert.Null(rel);
            return;
        }

        Assert.NotNull(rel);
        var btfExt = output.Elf.FindSection(".BTF.ext")!;
        Assert.Equal((uint)btfExt.Index, rel!.Value.Section.Info);
        foreach (var e in rel.Value.Entries)
        {
            Assert.True(fields.TryGetValue(e.Offset, out string? section), $".rel.BTF.ext r_offset 0x{e.Offset:x} is not on an insn_off field");
            var sym = output.Elf.Symbols[(int)e.SymbolIndex];
            Assert.True(sym.Type == ElfConstants.SttSection && output.Elf.Sections[sym.SectionIndex].Name == section,
                $".rel.BTF.ext r_offset 0x{e.Offset:x} (a {section} record) is against '{sym.Name}'");
            Assert.Equal(BpfRelocationType.R64_NoDyld32, e.Kind);
        }

        if (relIn.Value.Entries.Count == fieldsIn.Count)
        {
            Assert.Equal(fields.Count, rel.Value.Entries.Count);
            Assert.Equal(fields.Keys.Order(), rel.Value.Entries.Select(e => e.Offset).Order());
        }
    }

    private static (ElfSection Section, IReadOnlyList<ElfRelocation> Entries)? RelBtfExt(BpfObject obj)
    {
        var ext = obj.Elf.FindSection(".BTF.ext");
        var rel = ext is null ? null : obj.Elf.RelocationSectionsFor(ext).SingleOrDefault();
        return rel is null ? null : (rel, obj.Elf.GetRelocations(rel));
    }

    private static Dictionary<ulong, string> InsnOffFields(BpfObject obj)
    {
        var fields = new Dictionary<ulong, string>();
        var section = obj.Elf.FindSection(".BTF.ext");
        if (section is null || obj.Btf is null)
        {
            return fields;
        }

        var d = section.Data;
        var e = obj.Elf.Endian;
        uint hdrLen = e.U32(d[4..]);
        int subsections = hdrLen >= 32 ? 3 : 2;
        for (int k = 0; k < subsections; k++)
        {
            uint off = e.U32(d[(8 + (k * 8))..]);
            uint len = e.U32(d[(12 + (k * 8))..]);
            if (len == 0)
            {
                continue;
            }

            int at = (int)(hdrLen + off);
            int end = at + (int)len;
            uint recSize = e.U32(d[at..]);
            at += 4;
            while (at < end)
            {
                uint nameOff = e.U32(d[at..]);
                uint count = e.U32(d[(at + 4)..]);
                string name = obj.Btf.GetString(nameOff) ?? "?";
                at += 8;
                for (int i = 0; i < count; i++)
                {
                    fields[(ulong)at] = name;
                    at += (int)recSize;
                }
            }

            Assert.Equal(end, at);
        }

        return fields;
    }
}
