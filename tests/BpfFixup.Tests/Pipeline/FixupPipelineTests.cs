// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Rewrite;
using BpfFixup.Tests.Rewrite;

namespace BpfFixup.Tests.Pipeline;

/// <summary><c>check</c> runs everything <c>patch</c> runs short of writing, so it refuses what patch refuses (issue 8).</summary>
public class FixupPipelineTests
{
    private static readonly RewriteOptions Options = new();

    private static string[] Errors(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.ToString()).ToArray();

    /// <summary>session_basic-el.o with core_relo_len := 0: its .rel.BTF.ext still points into the records it had.</summary>
    internal static byte[] DamagedBtfExt()
    {
        var bytes = File.ReadAllBytes(TestPaths.Sample("session_basic-el.o"));
        var ext = TestHelpers.Load(bytes, "x.o").Elf.FindSection(".BTF.ext")!;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)ext.Offset + 0x1c), 0);
        return bytes;
    }

    [Fact]
    public void A_jump_that_no_longer_fits_is_refused_by_check_as_by_patch()
    {
        var obj = TestHelpers.Load(JumpRangeTests.Build(short.MaxValue - 6, false), "overflow.o");
        Assert.False(ObjectAnalyzer.Analyze(obj).HasErrors); // the analysis alone cannot see it
        var verdict = FixupPipeline.Verify(obj, Options);
        var outcome = FixupPipeline.Run(obj, Options);
        Assert.True(verdict.HasErrors);
        Assert.Equal(DiagnosticIds.JumpRange, Assert.Single(verdict.Diagnostics, d => d.Severity == Severity.Error).Id);
        Assert.Equal(Errors(outcome.Rejected!.Diagnostics), Errors(verdict.Diagnostics));
        Assert.Equal("the kernel would reject it", outcome.Rejected.Reason);
    }

    [Fact]
    public void Damage_only_the_rewrite_meets_is_refused_by_check_and_named_as_the_inputs()
    {
        var obj = TestHelpers.Load(DamagedBtfExt(), "x.o");
        Assert.False(ObjectAnalyzer.Analyze(obj).HasErrors);
        var verdict = FixupPipeline.Verify(obj, Options);
        var outcome = FixupPipeline.Run(obj, Options);
        var e = Assert.Single(verdict.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(DiagnosticIds.MalformedBtfExt, e.Id);
        Assert.StartsWith(".rel.BTF.ext relocation #", e.Message, StringComparison.Ordinal);
        Assert.Contains("is not the insn_off field of a .BTF.ext record", e.Message, StringComparison.Ordinal);
        Assert.Equal(Errors(outcome.Rejected!.Diagnostics), Errors(verdict.Diagnostics));
        Assert.Equal("the input is damaged", outcome.Rejected.Reason);
    }

    [Theory]
    [MemberData(nameof(TestPaths.SampleNames), MemberType = typeof(TestPaths))]
    public void Check_says_ok_exactly_when_patch_writes(string name)
    {
        var obj = TestHelpers.LoadSample(name);
        var outcome = FixupPipeline.Run(obj, Options);
        Assert.Equal(outcome.Rejected is null, !outcome.Verdict!.HasErrors);
        Assert.Equal(outcome.Rejected is null, outcome.Patched is not null);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_name_or_symbol_table_called_debug_is_not_dropped_with_the_dwarf(bool symtab)
    {
        // Found by mutation: .strtab (the section name table) or .symtab renamed to a .debug_* name through sh_name.
        var bytes = File.ReadAllBytes(TestPaths.Sample("session_subprog-el.o"));
        var elf = TestHelpers.Load(bytes, "x.o").Elf;
        var names = symtab ? elf.SymbolTable! : elf.Sections[elf.Header.SectionNameTableIndex];
        var debug = elf.Sections.First(s => s.Name.StartsWith(".debug_", StringComparison.Ordinal));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)elf.Header.SectionHeaderOffset + (names.Index * 64)), debug.NameOffset);
        var outcome = FixupPipeline.Run(bytes, "x.o", Options);
        Assert.Null(outcome.Rejected);
        var patched = outcome.Patched!.Elf;
        Assert.Equal(BpfFixup.Elf.ElfConstants.ShtStrtab, patched.Sections[patched.Header.SectionNameTableIndex].Type);
    }

    [Fact]
    public void A_relocation_section_applying_to_a_dropped_relocation_section_is_refused_when_read()
    {
        // Found by mutation: a code section's .rel section with sh_info naming a .rel.debug_* section (dropped
        // with the DWARF); the patched output pointed at section 0 and failed the self-check. Now the reader
        // names it, so check, patch and dump all refuse it the same way.
        var bytes = File.ReadAllBytes(TestPaths.Sample("session_basic-el-v4.o"));
        var elf = TestHelpers.Load(bytes, "x.o").Elf;
        var rel = elf.Sections.First(s => s.Name == ".relfentry/do_unlinkat");
        var debugRel = elf.Sections.Where(s => s.Name.StartsWith(".rel.debug_", StringComparison.Ordinal)).MaxBy(s => s.Size)!;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)elf.Header.SectionHeaderOffset + (rel.Index * 64) + 44), (uint)debugRel.Index);
        var outcome = FixupPipeline.Run(bytes, "x.o", Options);
        Assert.Null(outcome.Original);
        Assert.Equal(DiagnosticIds.MalformedElf, outcome.LoadError!.Id);
        Assert.EndsWith($"names section {debugRel.Index} ({debugRel.Name}), which is not one relocations can apply to", outcome.LoadError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_self_check_passes_a_good_output_and_refuses_one_that_does_not_load()
    {
        var outcome = FixupPipeline.Run(TestHelpers.LoadSample("session_basic-el.o"), Options);
        Assert.Same(outcome, FixupPipeline.SelfCheck(outcome));

        // A writer bug, simulated: the output is cut short. The verification pass names it and nothing is to be written.
        var broken = outcome with { Rewrite = outcome.Rewrite! with { Output = outcome.Rewrite.Output![..100] } };
        Assert.Null(broken.Patched);
        var checkedOutcome = FixupPipeline.SelfCheck(broken);
        Assert.Null(checkedOutcome.Rewrite!.Output);
        Assert.Null(checkedOutcome.Patched);
        var error = Assert.Single(checkedOutcome.Rejected!.Diagnostics, d => d.Severity == Severity.Error);
        Assert.StartsWith("self-check: the patched output does not load", error.Message, StringComparison.Ordinal);
        Assert.Equal("the input is damaged", checkedOutcome.Rejected.Reason);
        Assert.NotNull(outcome.Patched); // the copies made by `with` did not touch the original's output
    }
}
