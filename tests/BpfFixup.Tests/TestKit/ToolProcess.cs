// SPDX-License-Identifier: MIT
using System.Diagnostics;

namespace BpfFixup.Tests.TestKit;

/// <summary>
/// Runs the built <c>bpffixup</c> as a process, through a command (a shell script, <c>unshare</c>), for what only a
/// real process shows: closed descriptors, the terminal, the exit status after EPIPE. <c>$B</c> is the tool.
/// </summary>
internal static class ToolProcess
{
    /// <summary>The apphost beside the test assembly.</summary>
    public static string Tool => Path.Combine(AppContext.BaseDirectory, "bpffixup");

    /// <summary>Runs <paramref name="command"/> in <paramref name="directory"/> with <c>B</c> and <paramref name="environment"/> set.</summary>
    public static (int Code, string Out, string Err) Run(string directory, string[] command, params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo(command[0], command[1..])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        info.Environment["B"] = Tool;
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, err);
    }
}
