// SPDX-License-Identifier: MIT
namespace BpfFixup.IO;

/// <summary>Whether a standard descriptor is a terminal, asked with <c>isatty(3)</c>, never through System.Console (which initialises the terminal).</summary>
public static class Terminal
{
    /// <summary>True when descriptor <paramref name="fd"/> (1 stdout, 2 stderr) is a terminal; false off Linux.</summary>
    public static bool IsTerminal(int fd) => OperatingSystem.IsLinux() && NativeMethods.IsATty(fd) == 1;
}
