// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Rendering.Sarif;

namespace BpfFixup.Tests.Rendering.Sarif;

public sealed class ResultFingerprintsTests
{
    private static Diagnostic D(string message, int index = 10, int line = 73, string function = "bad_stack_ptr", string id = DiagnosticIds.ArgNotCtx) => new()
    {
        Id = id,
        Severity = Severity.Error,
        Message = message,
        File = "x-el.o",
        Section = "fsession/do_rmdir",
        Function = function,
        Index = index,
        Source = new SourceLocation("./src/x.bpf.c", line, 18, "text"),
    };

    [Fact]
    public void Positions_that_shift_do_not_change_the_fingerprint()
    {
        string a = new ResultFingerprints().Next(D("R1 expected pointer to ctx, but got fp"));
        string b = new ResultFingerprints().Next(D("R1 expected pointer to ctx, but got fp", index: 42, line: 90) with { File = "x-eb.o" });
        Assert.Equal(a, b);
        Assert.Matches("^[0-9a-f]{32}:1$", a);
    }

    [Fact]
    public void Rule_function_and_message_change_it()
    {
        string a = new ResultFingerprints().Next(D("R1 expected pointer to ctx, but got fp"));
        Assert.NotEqual(a, new ResultFingerprints().Next(D("R1 expected pointer to ctx, but got map_value")));
        Assert.NotEqual(a, new ResultFingerprints().Next(D("R1 expected pointer to ctx, but got fp", function: "other")));
        Assert.NotEqual(a, new ResultFingerprints().Next(D("R1 expected pointer to ctx, but got fp", id: DiagnosticIds.ModifiedCtx)));
    }

    [Fact]
    public void Instruction_numbers_in_messages_are_normalised()
    {
        Assert.Equal("jump out of range from insn N to N", ResultFingerprints.Normalize("jump out of range from insn 12 to  40"));
        Assert.Equal("Caller passes invalid args into func#N ('f')", ResultFingerprints.Normalize("Caller passes invalid args into func#3 ('f')"));
        Assert.Equal("R1 !read_ok", ResultFingerprints.Normalize("R1 !read_ok"));
        Assert.Equal(new ResultFingerprints().Next(D("unreachable insn 7")), new ResultFingerprints().Next(D("unreachable insn 9")));
    }

    [Fact]
    public void Equal_findings_are_numbered_in_order()
    {
        var fingerprints = new ResultFingerprints();
        string first = fingerprints.Next(D("R1 expected pointer to ctx, but got fp", index: 3));
        string second = fingerprints.Next(D("R1 expected pointer to ctx, but got fp", index: 9));
        Assert.EndsWith(":1", first, StringComparison.Ordinal);
        Assert.Equal(first[..^2] + ":2", second);
    }
}
