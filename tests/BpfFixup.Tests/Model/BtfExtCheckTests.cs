// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;

namespace BpfFixup.Tests.Model;

/// <summary>
/// .BTF.ext damage that llvm-objdump-19, llvm-readelf-19, bpftool 7.1 and libbpf 1.1 all accept (run on corrupted copies) is
/// reported by the loader, and a patch refuses the object.
/// </summary>
public class BtfExtCheckTests
{
    private static (byte[] Bytes, int FuncField, int LineField) Fields(string name)
    {
        var bytes = File.ReadAllBytes(TestPaths.Sample(name));
        var obj = TestHelpers.Load(bytes, name);
        var section = obj.Elf.FindSection(".BTF.ext")!;
        int func = obj.BtfExt!.FuncInfo.Sections[0].Records[0].OriginalFieldOffset;
        int line = obj.BtfExt.LineInfo.Sections[0].Records[1].OriginalFieldOffset;
        return (bytes, (int)section.Offset + func, (int)section.Offset + line);
    }

    [Fact]
    public void Func_info_past_the_end_and_line_info_off_by_four_are_errors()
    {
        var (bytes, funcField, lineField) = Fields("session_basic-el.o");
        BitConverter.TryWriteBytes(bytes.AsSpan(funcField), 0x10000u);
        uint line = BitConverter.ToUInt32(bytes, lineField);
        BitConverter.TryWriteBytes(bytes.AsSpan(lineField), line + 4);

        var obj = TestHelpers.Load(bytes, "x.o");
        var found = obj.Diagnostics.Where(d => d.Id == DiagnosticIds.BtfExtOutOfBounds).Select(d => d.Message).ToList();
        Assert.Contains(found, m => m.StartsWith(".BTF.ext func_info record #0: insn_off 0x10000 is past the end of the section", StringComparison.Ordinal));
        Assert.Contains(found, m => m == $".BTF.ext line_info record #1: insn_off 0x{line + 4:x} is not a multiple of 8");
        Assert.All(obj.Diagnostics.Where(d => d.Id == DiagnosticIds.BtfExtOutOfBounds), d => Assert.Equal(Severity.Error, d.Severity));

        var result = BpfFixup.Rewrite.ObjectRewriter.Rewrite(BpfFixup.Analysis.ObjectAnalyzer.Analyze(obj), new BpfFixup.Rewrite.RewriteOptions());
        Assert.Null(result.Output);
    }

    [Theory]
    [InlineData("session_basic-el.o")]
    [InlineData("session_basic-eb.o")]
    [InlineData("session_basic-linked.o")]
    [InlineData("session_subprog-el.o")]
    public void Clang_and_linker_output_passes(string name)
    {
        var obj = TestHelpers.LoadSample(name);
        Assert.DoesNotContain(obj.Diagnostics, d => d.Id == DiagnosticIds.BtfExtOutOfBounds);
    }
}
