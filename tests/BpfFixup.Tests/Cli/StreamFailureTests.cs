// SPDX-License-Identifier: MIT
using System.IO.Pipes;
using BpfFixup.IO;
using BpfFixup.Tests.TestKit;
using static BpfFixup.Tests.TestKit.CliRun;

namespace BpfFixup.Tests.Cli;

/// <summary>
/// stdout or stderr that cannot be written: exit 2 and one line (a full disk, a closed stream), or, for a broken
/// pipe, exit 141 and nothing (as a process killed by SIGPIPE). In-process over real descriptors, and once more as
/// a process, where the runtime's own console handling would otherwise show.
/// </summary>
public sealed class StreamFailureTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    public static TheoryData<string[]> Commands => new()
    {
        new[] { "--version" },
        new[] { "--help" },
        new[] { "check", "OBJ", "--format", "sarif" },
        new[] { "dump", "OBJ" },
        new[] { "diff", "OBJ", "--fixup" },
        new[] { "patch", "OBJ", "--dry-run" },
        new[] { "snapshot", "OBJ", "--dir", "SNAPS" },
    };

    private string[] Args(string[] template)
    {
        string obj = File.Exists(dir.File("a.o")) ? dir.File("a.o") : CopySample(dir, "session_basic-el.o", "a.o");
        return [.. template.Select(a => a switch { "OBJ" => obj, "SNAPS" => dir.File("snaps"), _ => a })];
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_full_stdout_is_exit_2_and_one_line(string[] template)
    {
        using var full = File.OpenHandle("/dev/full", FileMode.Open, FileAccess.Write);
        using var stdout = DescriptorStream.ForDescriptor((int)full.DangerousGetHandle(), "stdout");
        using var stderr = new MemoryStream();
        int code = RunOn(stdout, stderr, Args(template));
        Assert.Equal(2, code);
        Assert.Equal("bpffixup: error: cannot write to stdout: no space left on device\n", System.Text.Encoding.UTF8.GetString(stderr.ToArray()));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_broken_pipe_is_exit_141_and_quiet(string[] template)
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        pipe.DisposeLocalCopyOfClientHandle();
        using var stdout = DescriptorStream.ForDescriptor((int)pipe.SafePipeHandle.DangerousGetHandle(), "stdout");
        using var stderr = new MemoryStream();
        int code = RunOn(stdout, stderr, Args(template));
        Assert.Equal(141, code);
        Assert.Empty(stderr.ToArray());
    }

    [Fact]
    public void A_full_stderr_is_exit_2()
    {
        using var full = File.OpenHandle("/dev/full", FileMode.Open, FileAccess.Write);
        using var stderr = DescriptorStream.ForDescriptor((int)full.DangerousGetHandle(), "stderr");
        using var stdout = new MemoryStream();
        Assert.Equal(2, RunOn(stdout, stderr, "check", dir.File("missing.o")));
    }

    // Process level: the built tool, through a shell, as CI runs it.
    private (int Code, string Out, string Err) Shell(string script) =>
        ToolProcess.Run(dir.Path, ["/bin/sh", "-c", script], ("OBJ", Args(["OBJ"])[0]));

    [Theory]
    [InlineData("\"$B\" --version >&-")]
    [InlineData("\"$B\" --help >&-")]
    [InlineData("\"$B\" check \"$OBJ\" >&-")]
    [InlineData("\"$B\" patch \"$OBJ\" -o out.o <&- >&-")]
    public void A_closed_stdout_is_exit_2_and_one_line(string script)
    {
        var r = Shell(script);
        Assert.Equal((2, "bpffixup: error: cannot write to stdout: bad file descriptor\n"), (r.Code, r.Err));
    }

    [Theory]
    [InlineData("\"$B\" --version > /dev/full")]
    [InlineData("\"$B\" check \"$OBJ\" --format sarif > /dev/full")]
    [InlineData("\"$B\" dump \"$OBJ\" > /dev/full")]
    public void A_full_disk_is_exit_2_and_one_line(string script)
    {
        var r = Shell(script);
        Assert.Equal((2, "bpffixup: error: cannot write to stdout: no space left on device\n"), (r.Code, r.Err));
    }

    [Fact]
    public void A_reader_that_goes_away_is_exit_141_and_quiet()
    {
        // The listing is far larger than a pipe buffer; head takes one byte and exits.
        var r = Shell("{ \"$B\" dump \"$OBJ\" \"$OBJ\" \"$OBJ\" \"$OBJ\" \"$OBJ\" \"$OBJ\" \"$OBJ\" \"$OBJ\" 2>err; echo $? > rc; } | head -c 1 > /dev/null; cat rc; cat err");
        Assert.Equal((0, "141\n"), (r.Code, r.Out));
    }

    [Fact]
    public void A_closed_stderr_still_gives_exit_2()
    {
        var r = Shell("\"$B\" check missing.o 2>&-");
        Assert.Equal(2, r.Code);
    }

    [Theory]
    [InlineData("--version")]
    [InlineData("--help")]
    [InlineData("dump \"$OBJ\"")]
    [InlineData("check \"$OBJ\"")]
    public void A_terminal_gets_no_escape_sequence(string args)
    {
        // script(1) runs the tool on a pseudo-terminal and copies what it wrote.
        var r = Shell($"script -qec \"\\\"$B\\\" {args.Replace("\"", "\\\"", StringComparison.Ordinal)}\" /dev/null");
        Assert.Equal(0, r.Code);
        Assert.NotEmpty(r.Out);
        Assert.DoesNotContain('\u001b', r.Out);
    }
}
