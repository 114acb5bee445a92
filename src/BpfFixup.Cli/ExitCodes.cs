// SPDX-License-Identifier: MIT
namespace BpfFixup.Cli;

/// <summary>The exit codes of every bpffixup command.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The check a command performs failed (the input was read fine).</summary>
    public const int CheckFailed = 1;

    /// <summary>Bad input or usage: unreadable or malformed file, unknown option, missing argument.</summary>
    public const int BadInput = 2;
}
