// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;

namespace BpfFixup.Tests.Analysis;

/// <summary>Global subprograms whose arguments the kernel cannot type (btf_prepare_func_args), as Linux 7.2 reports them.</summary>
public class GlobalSubprogramTests
{
    [Theory]
    [InlineData("session_global-el.o")]
    [InlineData("session_global-eb.o")]
    public void Untagged_void_pointer_fails_at_the_call_with_the_kernels_two_lines(string name)
    {
        var result = ObjectAnalyzer.Analyze(TestHelpers.LoadSample(name));
        var mine = result.Diagnostics.Where(d => d.Program == "untagged_caller").ToList();
        var error = Assert.Single(mine, d => d.Severity == Severity.Error);
        Assert.Equal(DiagnosticIds.InvalidGlobalArgs, error.Id);
        Assert.Equal("arg#0 reference type('UNKNOWN ') size cannot be determined: -22", error.Message);
        Assert.Equal(("fsession/vfs_write", "untagged_caller"), (error.Section, error.Function));
        var note = Assert.Single(mine, d => d.Severity == Severity.Note);
        Assert.Equal("Caller passes invalid args into func#1 ('untagged_is_exit')", note.Message);
        Assert.Equal(error.Index, note.Index);

        // The kernel never verifies the callee, so its session call gets no verdict of its own for this program.
        Assert.DoesNotContain(result.Verdicts, v => v.Program.Name == "untagged_caller");
        // The tagged function is untouched: inlined, no diagnostic.
        Assert.DoesNotContain(result.Diagnostics, d => d.Program == "tagged_caller" && d.Severity != Severity.Note);
        Assert.Equal(SiteAction.Inline, Assert.Single(result.Verdicts, v => v.Program.Name == "tagged_caller").Action);
    }

    [Fact]
    public void Every_rejected_call_in_the_samples_has_exactly_one_error()
    {
        foreach (var name in new[] { "session_bad-el.o", "session_oldproto-el.o", "session_global-el.o" })
        {
            var result = ObjectAnalyzer.Analyze(TestHelpers.LoadSample(name));
            var errors = result.Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
            Assert.Equal(errors.Count, errors.Select(e => (e.Section, e.Index, e.Program)).Distinct().Count());
        }
    }
}
