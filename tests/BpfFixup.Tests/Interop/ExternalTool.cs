// SPDX-License-Identifier: MIT
using System.Diagnostics;

namespace BpfFixup.Tests.Interop;

/// <summary>What an external tool printed and returned.</summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="Stdout">Everything written to standard output.</param>
/// <param name="Stderr">Everything written to standard error.</param>
public sealed record ToolResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Finds and runs external tools (llvm-objdump-19, llvm-mc-19, bpftool) for interop tests.</summary>
public static class ExternalTool
{
    /// <summary>The environment variable that turns a missing tool from a skip into a failure.</summary>
    public const string RequireVariable = "BPFFIXUP_REQUIRE_INTEROP";

    /// <summary>True when <see cref="RequireVariable"/> is set to 1.</summary>
    public static bool InteropRequired => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? FindOnPath(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The path of <paramref name="name"/>; throws a clear message when it is not on PATH.</summary>
    public static string Require(string name) =>
        FindOnPath(name) ?? throw new InvalidOperationException(
            $"{name} not found on PATH, and {RequireVariable}={Environment.GetEnvironmentVariable(RequireVariable) ?? "(unset)"} requires interop tests to run");

    /// <summary>Runs <paramref name="tool"/> with <paramref name="args"/>, capturing its output; kills it after the timeout.</summary>
    public static ToolResult Run(string tool, IEnumerable<string> args, TimeSpan? timeout = null) =>
        RunExecutable(Require(tool), args, timeout);

    /// <summary>Runs the executable at <paramref name="path"/> (not looked up on PATH) as <see cref="Run"/> does.</summary>
    public static ToolResult RunExecutable(string path, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        string tool = Path.GetFileName(path);
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {tool}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', info.ArgumentList)} did not finish within {limit.TotalSeconds} s");
        }

        process.WaitForExit();
        return new ToolResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>Runs the tool and throws, with its stderr, unless it exits with 0.</summary>
    public static string RunChecked(string tool, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var result = Run(tool, args, timeout);
        return result.ExitCode == 0
            ? result.Stdout
            : throw new InvalidOperationException($"{tool} exited with {result.ExitCode}: {result.Stderr}");
    }

    /// <summary>The skip reason for the first of <paramref name="tools"/> missing from PATH, or null.</summary>
    internal static string? SkipReason(string[] tools)
    {
        if (InteropRequired)
        {
            return null;
        }

        foreach (string tool in tools)
        {
            if (FindOnPath(tool) is null)
            {
                return $"{tool} not found on PATH";
            }
        }

        return null;
    }
}
