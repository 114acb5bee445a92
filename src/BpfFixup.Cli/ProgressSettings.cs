// SPDX-License-Identifier: MIT
using BpfFixup.IO;

namespace BpfFixup.Cli;

/// <summary>
/// What decides whether a run shows progress: stderr a terminal (stdout too, so that the listing clears it), the
/// clock, and the environment (<c>CI</c> set or <c>TERM=dumb</c>: never). The tests give fakes of all three.
/// </summary>
internal sealed record ProgressSettings(bool StderrIsTerminal, bool StdoutIsTerminal, TimeProvider Time, Func<string, string?> Environment)
{
    /// <summary>No progress, ever (the in-process runs of the tests, unless they ask).</summary>
    public static ProgressSettings None { get; } = new(false, false, TimeProvider.System, _ => null);

    /// <summary>This process's descriptors 1 and 2 (<c>isatty</c>), the system clock and environment.</summary>
    public static ProgressSettings OfProcess() =>
        new(Terminal.IsTerminal(2), Terminal.IsTerminal(1), TimeProvider.System, System.Environment.GetEnvironmentVariable);

    /// <summary>Progress is shown: stderr is a terminal, not on CI (<c>CI</c> set, as GitHub Actions and most CI systems set it), not on a dumb terminal.</summary>
    public bool Enabled => StderrIsTerminal && string.IsNullOrEmpty(Environment("CI")) && Environment("TERM") != "dumb";
}
