// SPDX-License-Identifier: MIT
using BpfFixup.IO;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.IO;

public sealed class OutputPlanTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("bpffixup-plan-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private string F(string name) => Path.Combine(temp, name);

    private string Existing(string name)
    {
        File.WriteAllText(F(name), name);
        return F(name);
    }

    private static string? Check(Action<OutputPlan> build)
    {
        var plan = new OutputPlan();
        build(plan);
        return plan.Check() is { } d ? $"{d.File}: {d.Message}" : null;
    }

    [Fact]
    public void New_and_regular_outputs_pass()
    {
        string input = Existing("a.o");
        Assert.Null(Check(p =>
        {
            p.AddInput(input);
            p.AddOutput(F("out.o"), "--output");
            p.AddOutput(Existing("old-report.json"), "--report");
        }));
    }

    [Fact]
    public void An_output_that_is_an_input_is_refused_by_any_name()
    {
        string input = Existing("a.o");
        Posix.HardLink(F("hard.o"), input);
        File.CreateSymbolicLink(F("sym.o"), "a.o");
        foreach (var name in new[] { input, F("hard.o"), F("sym.o"), Path.Combine(temp, ".", "a.o") })
        {
            Assert.Equal($"{name}: refusing to write --report: it is the input {input}", Check(p =>
            {
                p.AddInput(input);
                p.AddOutput(name, "--report");
            }));
        }
    }

    [Fact]
    public void In_place_may_replace_its_own_input_only()
    {
        string a = Existing("a.o");
        string b = Existing("b.o");
        Assert.Null(Check(p =>
        {
            p.AddInput(a);
            p.AddInput(b);
            p.AddOutput(a, "--in-place", inPlaceOf: a);
            p.AddOutput(b, "--in-place", inPlaceOf: b);
        }));
        Assert.Equal($"{a}: refusing to write --in-place: two outputs on one path (also --in-place)", Check(p =>
        {
            p.AddInput(a);
            p.AddInput(a);
            p.AddOutput(a, "--in-place", inPlaceOf: a);
            p.AddOutput(a, "--in-place", inPlaceOf: a);
        }));
        Assert.Equal($"{a}: refusing to write --in-place: it is the input {F("./a.o")}", Check(p =>
        {
            p.AddInput(a);
            p.AddInput(F("./a.o"));
            p.AddOutput(a, "--in-place", inPlaceOf: a);
        }));
    }

    [Fact]
    public void Two_outputs_on_one_path_are_refused_even_before_the_file_exists()
    {
        Directory.CreateDirectory(F("D"));
        Directory.CreateSymbolicLink(F("E"), "D");
        Assert.Equal($"{F("D/x.o")}: refusing to write --out-dir: two outputs on one path (also --out-dir)", Check(p =>
        {
            p.AddOutput(F("D/x.o"), "--out-dir");
            p.AddOutput(F("D/x.o"), "--out-dir");
        }));

        // The same directory by another name, and a directory that does not exist yet.
        Assert.Equal($"{F("E/x.o")}: refusing to write --report: the same file as --output {F("D/x.o")}", Check(p =>
        {
            p.AddOutput(F("D/x.o"), "--output");
            p.AddOutput(F("E/x.o"), "--report");
        }));
        Assert.NotNull(Check(p =>
        {
            p.AddOutput(F("new/x.o"), "--out-dir");
            p.AddOutput(F("new/x.o"), "--out-dir");
        }));
    }

    [Fact]
    public void Devices_fifos_and_directories_are_refused_and_symlinks_count_as_their_target()
    {
        Posix.Mkfifo(F("fifo"));
        File.CreateSymbolicLink(F("null-link"), "/dev/null");
        Assert.Equal("/dev/null: refusing to write --output: not a regular file (a character device)", Check(p => p.AddOutput("/dev/null", "--output")));
        Assert.Equal($"{F("null-link")}: refusing to write --output: not a regular file (a character device)", Check(p => p.AddOutput(F("null-link"), "--output")));
        Assert.Equal($"{F("fifo")}: refusing to write --report: not a regular file (a FIFO)", Check(p => p.AddOutput(F("fifo"), "--report")));
        Assert.Equal($"{temp}: refusing to write --output: not a regular file (a directory)", Check(p => p.AddOutput(temp, "--output")));
    }

    [Fact]
    public void Dash_is_stdout_where_allowed_and_only_once()
    {
        var plan = new OutputPlan();
        int o = plan.AddOutput("-", "--output", allowStdout: true);
        int r = plan.AddOutput(F("r.json"), "--report", allowStdout: true);
        Assert.Null(plan.Check());
        Assert.True(plan.IsStandardOutput(o));
        Assert.False(plan.IsStandardOutput(r));
        Assert.True(plan.UsesStandardOutput);

        Assert.Equal("-: --output and --report cannot both write to stdout", Check(p =>
        {
            p.AddOutput("-", "--output", allowStdout: true);
            p.AddOutput("-", "--report", allowStdout: true);
        }));

        // Where stdout is not meant, - is a file name like any other.
        var snapshot = new OutputPlan();
        int s = snapshot.AddOutput("-", "a snapshot");
        Assert.False(snapshot.IsStandardOutput(s));
    }

    [Fact]
    public void The_file_stdout_writes_to_is_refused()
    {
        // The test host's stdout is whatever it is; /proc/self/fd/1 names it in every case.
        var kind = FileStatus.OfDescriptor(1)?.Kind;
        string? message = Check(p => p.AddOutput("/proc/self/fd/1", "--report", allowStdout: true));
        if (kind == FileKind.Regular)
        {
            Assert.Equal("/proc/self/fd/1: refusing to write --report: it is the standard output; use - for stdout", message);
        }
        else
        {
            Assert.NotNull(message);
        }
    }

    [Fact]
    public void The_empty_path_is_refused() =>
        Assert.Equal(": --output: the empty path is not a file name", Check(p => p.AddOutput(string.Empty, "--output")));
}
