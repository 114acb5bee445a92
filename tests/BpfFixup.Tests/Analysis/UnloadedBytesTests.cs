// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Tests.Interop;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Analysis;

/// <summary>No false alarms for code libbpf never loads (issue 10 item 5).</summary>
public class UnloadedBytesTests
{
    [InteropTheory("llvm-mc-19")]
    [InlineData("bpfel")]
    [InlineData("bpfeb")]
    public void Bytes_outside_every_function_symbol_are_not_diagnosed(string triple)
    {
        var result = ObjectAnalyzer.Analyze(TestHelpers.Load(Asm.AssembleAnalysisSource("outside_symbols", triple), "outside.o"));
        Assert.DoesNotContain(result.Diagnostics, d => d.Id is DiagnosticIds.Unreachable or DiagnosticIds.FallThroughEnd);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void Unreachable_code_inside_a_function_is_still_reported()
    {
        // prog: r0 = 0; exit; r0 = 1; exit, the FUNC symbol covering all four.
        var diagnostics = ReturnCodeTests.Analyze("fsession/x", Asm.MovImm(0, 0), Asm.Exit(), Asm.MovImm(0, 1), Asm.Exit());
        Assert.Contains(diagnostics, d => d.Id == DiagnosticIds.Unreachable && d.Message == "unreachable insn 2");
    }
}
