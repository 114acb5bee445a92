// SPDX-License-Identifier: MIT
using System.Diagnostics;

namespace BpfFixup.Tests.TestKit;

/// <summary>File system nodes .NET cannot make (FIFOs, hard links), made with the coreutils tools.</summary>
internal static class Posix
{
    /// <summary><c>mkfifo path</c>.</summary>
    public static void Mkfifo(string path) => Run("mkfifo", path);

    /// <summary><c>ln target link</c> (a hard link).</summary>
    public static void HardLink(string link, string target) => Run("ln", target, link);

    private static void Run(string tool, params string[] args)
    {
        using var p = Process.Start(tool, args);
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }
}
