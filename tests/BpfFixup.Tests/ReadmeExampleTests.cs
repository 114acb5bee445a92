// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Model;
using BpfFixup.Rewrite;

namespace BpfFixup.Tests;

/// <summary>The library example of README.md, kept compiling and true.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void Library_example_runs()
    {
        string path = TestPaths.Sample("session_subprog-el.o");

        // README: "Use as a library"
        var diagnostics = new DiagnosticBag();
        BpfObject? obj = ObjectLoader.LoadFile(path, diagnostics);          // null, with one error, when malformed
        AnalysisResult analysis = ObjectAnalyzer.Analyze(obj!);               // the verifier-like pass
        foreach (var v in analysis.Verdicts)                                  // per program and call site
        {
            Console.WriteLine($"{v.Program.Name}: {v.Site.Function.Name}+{v.Site.Slot} {v.Action} (R1={v.R1})");
        }

        RewriteResult result = ObjectRewriter.Rewrite(analysis, new RewriteOptions { Abi = KernelAbi.Find("linux-7.0")! });
        byte[]? patched = result.Output;                                      // null when the kernel would reject it
        // end of README example

        Assert.Empty(diagnostics.Items);
        Assert.Equal(9, analysis.Verdicts.Count()); // 3 (read_sess) + 4 (write_sess) + 2 (kwrite_sess)
        Assert.NotNull(patched);
        Assert.Equal(4, result.Summary!.IsReturnInlined + result.Summary.CookieInlined);
    }
}
