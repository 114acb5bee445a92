// SPDX-License-Identifier: MIT
using BpfFixup.IO;
using BpfFixup.Tests.TestKit;
using static BpfFixup.Tests.TestKit.CliRun;

namespace BpfFixup.Tests.Cli;

/// <summary>Every output of <c>patch</c> is checked before the first byte is written (OutputPlan).</summary>
public sealed class OutputSafetyTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private static byte[] Sample => File.ReadAllBytes(TestPaths.Sample("session_basic-el.o"));

    [Fact]
    public void A_report_on_the_input_is_refused_and_the_input_kept()
    {
        string input = CopySample(dir, "session_basic-el.o", "a.o");
        var r = Run("patch", input, "--dry-run", "--report", input);
        Assert.Equal((2, string.Empty), (r.Code, r.Out));
        Assert.Equal([$"bpffixup: error: {input}: refusing to write --report: it is the input {input}"], r.ErrLines);
        Assert.Equal(Sample, File.ReadAllBytes(input));
    }

    [Theory]
    [InlineData("\"$B\" patch a.o -o - >> a.o")]
    [InlineData("\"$B\" patch a.o --dry-run --report - >> a.o")]
    [InlineData("\"$B\" dump a.o >> a.o")]
    [InlineData("\"$B\" snapshot a.o --dir snaps >> a.o")]
    public void Stdout_appending_to_an_input_is_refused_and_the_input_kept(string script)
    {
        // `>>` does not truncate: before the fix the output (the patched object, the report, the listing) was
        // appended to the input and the command said it succeeded, as cat refuses ("input file is output file").
        CopySample(dir, "session_basic-el.o", "a.o");
        var r = ToolProcess.Run(dir.Path, ["/bin/sh", "-c", script]);
        Assert.Equal(Sample, File.ReadAllBytes(dir.File("a.o")));
        Assert.Equal((2, "bpffixup: error: a.o: file at 0x0: cannot read: it is also the standard output, and an input is never written to\n"), (r.Code, r.Err));
    }

    [Fact]
    public void The_report_and_the_object_on_one_path_are_refused_before_writing()
    {
        string input = CopySample(dir, "session_basic-el.o", "a.o");
        string output = dir.File("out.o");
        var r = Run("patch", input, "-o", output, "--report", output);
        Assert.Equal(2, r.Code);
        Assert.Equal([$"bpffixup: error: {output}: refusing to write --report: two outputs on one path (also --output)"], r.ErrLines);
        Assert.Equal(["a.o"], dir.Names());
    }

    [Fact]
    public void Two_inputs_of_one_name_into_one_out_dir_are_refused_before_anything_is_written()
    {
        Directory.CreateDirectory(dir.File("a"));
        Directory.CreateDirectory(dir.File("b"));
        string a = CopySample(dir, "session_basic-el.o", Path.Combine("a", "x.o"));
        string b = CopySample(dir, "session_asm-el.o", Path.Combine("b", "x.o"));
        string outDir = dir.File("D");
        var r = Run("patch", a, b, "--out-dir", outDir);
        Assert.Equal((2, string.Empty), (r.Code, r.Out));
        Assert.Equal([$"bpffixup: error: {Path.Combine(outDir, "x.o")}: refusing to write --out-dir: two outputs on one path (also --out-dir)"], r.ErrLines);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void A_device_a_fifo_and_a_directory_are_refused_and_stay_what_they_are()
    {
        string input = CopySample(dir, "session_basic-el.o", "a.o");
        string fifo = dir.File("fifo");
        Posix.Mkfifo(fifo);
        string sub = Directory.CreateDirectory(dir.File("sub")).FullName;
        foreach (var (path, kind) in new[] { ("/dev/null", "a character device"), (fifo, "a FIFO"), (sub, "a directory") })
        {
            var r = Run("patch", input, "-o", path);
            Assert.Equal(2, r.Code);
            Assert.Equal([$"bpffixup: error: {path}: refusing to write --output: not a regular file ({kind})"], r.ErrLines);
            r = Run("patch", input, "--dry-run", "--report", path);
            Assert.Equal(2, r.Code);
        }

        Assert.Equal(FileKind.CharacterDevice, FileStatus.Of("/dev/null", followLinks: false).Kind);
        Assert.Equal(FileKind.Fifo, FileStatus.Of(fifo, followLinks: false).Kind);
        Assert.Equal(["a.o", "fifo", "sub"], dir.Names());
    }

    [Fact]
    public void A_report_on_the_file_stdout_goes_to_is_refused_with_a_hint()
    {
        // In-process, stdout is the test host's; through /proc/self/fd/1 the check sees what it is.
        string input = CopySample(dir, "session_basic-el.o", "a.o");
        var r = Run("patch", input, "--dry-run", "--report", "/proc/self/fd/1");
        if (FileStatus.OfDescriptor(1)?.Kind == FileKind.Regular)
        {
            Assert.Equal(["bpffixup: error: /proc/self/fd/1: refusing to write --report: it is the standard output; use - for stdout"], r.ErrLines);
        }

        Assert.Equal(2, r.Code);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void In_place_through_a_symlink_patches_the_target_atomically_and_keeps_the_link_and_mode()
    {
        string real = CopySample(dir, "session_basic-el.o", "real.o");
        File.SetUnixFileMode(real, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string link = dir.File("link.o");
        File.CreateSymbolicLink(link, "real.o");
        var r = Run("patch", link, "--in-place");
        Assert.Equal(0, r.Code);
        Assert.Equal("real.o", new FileInfo(link).LinkTarget);
        Assert.NotEqual(Sample, File.ReadAllBytes(real));
        Assert.Empty(TestHelpers.Load(File.ReadAllBytes(real), "real.o").SessionCallSites);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(real));
        Assert.Equal(["link.o", "real.o"], dir.Names());
    }

    [Fact]
    public void Output_through_a_symlink_writes_its_target()
    {
        string input = CopySample(dir, "session_basic-el.o", "a.o");
        File.WriteAllText(dir.File("target.o"), "old");
        File.CreateSymbolicLink(dir.File("out.o"), "target.o");
        var r = Run("patch", input, "-o", dir.File("out.o"));
        Assert.Equal(0, r.Code);
        Assert.Equal("target.o", new FileInfo(dir.File("out.o")).LinkTarget);
        Assert.Empty(TestHelpers.Load(File.ReadAllBytes(dir.File("target.o")), "t.o").SessionCallSites);

        // A symlink to the input is the input.
        File.CreateSymbolicLink(dir.File("in-link.o"), "a.o");
        r = Run("patch", input, "-o", dir.File("in-link.o"));
        Assert.Equal([$"bpffixup: error: {dir.File("in-link.o")}: refusing to write --output: it is the input {input}"], r.ErrLines);
        Assert.Equal(Sample, File.ReadAllBytes(input));
    }

    [Fact]
    public void Dash_writes_the_object_or_the_report_to_stdout_and_the_summary_to_stderr()
    {
        string input = CopySample(dir, "session_basic-el.o", "a.o");
        string file = dir.File("out.o");
        Assert.Equal(0, Run("patch", input, "-o", file).Code);

        var (code, bytes, err) = RunBinary("patch", input, "-o", "-");
        Assert.Equal(0, code);
        Assert.Equal(File.ReadAllBytes(file), bytes);
        Assert.EndsWith(" -> -\n", err, StringComparison.Ordinal);

        var r = Run("patch", input, "--dry-run", "--report", "-");
        Assert.Equal(0, r.Code);
        Assert.StartsWith("{\n  \"schemaVersion\": 1,\n  \"objects\": [", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("(dry run)", r.Out, StringComparison.Ordinal);
        Assert.EndsWith("(dry run)\n", r.Err, StringComparison.Ordinal);

        r = Run("patch", input, "-o", "-", "--report", "-");
        Assert.Equal((2, string.Empty), (r.Code, r.Out));
        Assert.Equal(["bpffixup: error: -: --output and --report cannot both write to stdout"], r.ErrLines);
    }
}
