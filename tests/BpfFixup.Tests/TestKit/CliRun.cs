// SPDX-License-Identifier: MIT
using BpfFixup.Cli;

namespace BpfFixup.Tests.TestKit;

/// <summary>What one in-process <c>bpffixup</c> run printed and returned.</summary>
internal sealed record CliResult(int Code, string Out, string Err)
{
    /// <summary>Non-empty stderr lines.</summary>
    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Non-empty stdout lines.</summary>
    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {Code}\n--- stdout\n{Out}--- stderr\n{Err}";
}

/// <summary>Runs the CLI in-process (<see cref="Program.Run"/>) and copies samples into temp directories.</summary>
internal static class CliRun
{
    public static CliResult Run(params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        int code = Program.Run(args, output, error);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs with stdout as a byte stream (for <c>-o -</c>): the bytes written to stdout, and stderr.</summary>
    public static (int Code, byte[] Out, string Err) RunBinary(params string[] args)
    {
        using var bytes = new MemoryStream();
        using var output = new StreamWriter(bytes, new System.Text.UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        int code = Program.Run(args, output, error);
        output.Flush();
        return (code, bytes.ToArray(), error.ToString());
    }

    /// <summary>Runs with stdout and stderr on the given streams (a full device, a pipe without reader).</summary>
    public static int RunOn(Stream stdout, Stream stderr, params string[] args)
    {
        var output = new StreamWriter(stdout, new System.Text.UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        var error = new StreamWriter(stderr, new System.Text.UTF8Encoding(false), 1 << 12) { AutoFlush = true, NewLine = "\n" };
        return Program.Run(args, output, error);
    }

    /// <summary>Copies sample <paramref name="name"/> into <paramref name="dir"/> (as <paramref name="as"/> when given); returns the copy's path.</summary>
    public static string CopySample(TempDirectory dir, string name, string? @as = null)
    {
        string path = dir.File(@as ?? name);
        File.Copy(TestPaths.Sample(name), path);
        return path;
    }

    /// <summary>A committed test object under <c>TestData/Cli</c>, copied into <paramref name="dir"/>.</summary>
    public static string CopyTestData(TempDirectory dir, string name)
    {
        string path = dir.File(name);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "TestData", "Cli", name), path);
        return path;
    }
}
