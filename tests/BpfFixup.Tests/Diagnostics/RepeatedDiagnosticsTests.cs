// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;

namespace BpfFixup.Tests;

public sealed class RepeatedDiagnosticsTests
{
    private static Diagnostic At(string function, int index, string message = "R1 !read_ok", string? program = null) => new()
    {
        Id = DiagnosticIds.UninitRead,
        Severity = Severity.Error,
        Message = message,
        File = "x.o",
        Section = function == "sub" ? ".text" : "fsession/" + function,
        Function = function,
        Index = index,
        Program = program,
    };

    [Fact]
    public void A_subprograms_finding_is_kept_for_the_first_program_and_counted_in_one_note_for_each_later_one()
    {
        var kept = new List<Diagnostic>();
        var repeats = new RepeatedDiagnostics();
        foreach (string program in new[] { "p0", "p1", "p2" })
        {
            repeats.Add(kept, At("sub", 1), program);
            repeats.Add(kept, At("sub", 3), program);
            repeats.Add(kept, At(program, 0), program); // in the program's own function: always its own
            repeats.EndProgram(kept, "x.o", program);
        }

        Assert.Equal(
        [
            "x.o:.text/sub+1: error: R1 !read_ok [BPF3007] (program p0)",
            "x.o:.text/sub+3: error: R1 !read_ok [BPF3007] (program p0)",
            "x.o:fsession/p0/p0+0: error: R1 !read_ok [BPF3007]",
            "x.o:fsession/p1/p1+0: error: R1 !read_ok [BPF3007]",
            "x.o:.text/sub: note: 2 diagnostic(s) in sub as reported for program p0 [BPF3026] (program p1)",
            "x.o:fsession/p2/p2+0: error: R1 !read_ok [BPF3007]",
            "x.o:.text/sub: note: 2 diagnostic(s) in sub as reported for program p0 [BPF3026] (program p2)",
        ], kept.Select(d => d.ToString()));
        Assert.All(kept.Where(d => d.Id == DiagnosticIds.Repeated), d => Assert.Equal(Severity.Note, d.Severity));
    }

    [Fact]
    public void Only_an_equal_finding_is_a_repeat_and_each_names_the_program_that_reported_it_first()
    {
        var kept = new List<Diagnostic>();
        var repeats = new RepeatedDiagnostics();
        repeats.Add(kept, At("sub", 1), "p0");
        repeats.EndProgram(kept, "x.o", "p0");
        repeats.Add(kept, At("sub", 1), "p1");
        repeats.Add(kept, At("sub", 1, "R1 type=scalar expected=ctx"), "p1"); // another message: its own
        repeats.Add(kept, At("sub", 2), "p1"); // another place: its own
        repeats.Add(kept, At("sub", 1) with { Source = new SourceLocation("x.c", 3, 1, null) }, "p1"); // another source line: its own
        repeats.EndProgram(kept, "x.o", "p1");
        repeats.Add(kept, At("sub", 1), "p2");
        repeats.Add(kept, At("sub", 1), "p2"); // the same twice in one program: counted once
        repeats.Add(kept, At("sub", 2), "p2");
        repeats.EndProgram(kept, "x.o", "p2");

        Assert.Equal(7, kept.Count);
        Assert.Equal(["p0", "p1", "p1", "p1"], kept.Where(d => d.Id != DiagnosticIds.Repeated).Select(d => d.Program));
        Assert.Equal(
        [
            "1 diagnostic(s) in sub as reported for program p0",
            "1 diagnostic(s) in sub as reported for program p0",
            "1 diagnostic(s) in sub as reported for program p1",
        ], kept.Where(d => d.Id == DiagnosticIds.Repeated).Select(d => d.Message));
        Assert.Equal(["p1", "p2", "p2"], kept.Where(d => d.Id == DiagnosticIds.Repeated).Select(d => d.Program));
    }

    [Fact]
    public void A_finding_repeated_within_one_program_is_left_to_the_analysis()
    {
        var kept = new List<Diagnostic>();
        var repeats = new RepeatedDiagnostics();
        repeats.Add(kept, At("sub", 1), "p0");
        repeats.Add(kept, At("sub", 1), "p0");
        repeats.EndProgram(kept, "x.o", "p0");
        Assert.Equal(2, kept.Count); // ObjectAnalyzer's ordering drops the second, as before
        Assert.DoesNotContain(kept, d => d.Id == DiagnosticIds.Repeated);
    }

    [Fact]
    public void Index_and_file_offset_keep_null_apart_from_every_value()
    {
        var d = new Diagnostic { Id = "BPF1001", Severity = Severity.Error, Message = "m" };
        Assert.Null(d.Index);
        Assert.Null(d.FileOffset);
        var e = d with { Index = 0, FileOffset = 0 };
        Assert.Equal(0, e.Index);
        Assert.Equal(0L, e.FileOffset);
        Assert.NotEqual(d, e);
        Assert.Equal(d, e with { Index = null, FileOffset = null });
        Assert.Equal(int.MaxValue, (d with { Index = int.MaxValue }).Index);
        Assert.Equal(long.MaxValue, (d with { FileOffset = long.MaxValue }).FileOffset);
    }
}
