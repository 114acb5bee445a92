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
