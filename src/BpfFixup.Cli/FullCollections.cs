// SPDX-License-Identifier: MIT
using System.Runtime;

namespace BpfFixup.Cli;

/// <summary>
/// Runs the rewrite of every command that makes an output (<see cref="Commands.ObjectInputs.TryFixup"/>) with the
/// collector in <see cref="GCLatencyMode.LowLatency"/>: no full (generation 2) collection unless memory runs low
/// (dotnet/runtime src/coreclr/gc/gc.cpp, <c>generation_to_condemn</c> caps the condemned generation below
/// <c>max_generation</c> under <c>pause_low_latency</c>). The rewrite's large arrays (the editable sections, the
/// output) would otherwise start one, which marks and compacts everything the analysis left alive for nothing: on a
/// 1.6M-slot object <c>patch</c> runs 7.8 % more instructions without it (callgrind), for 11.8 MB less peak memory.
/// Only the rewrite: held off from the load on, <c>patch</c> of a 2,001-section object ran 13 % more instructions
/// (the collections it then makes in the analysis are more, not fewer).
/// </summary>
/// <remarks>
/// The mode is the process's, so the choice is the CLI's (the library leaves it alone). Nested and concurrent runs
/// (the tests run commands in one process) count how many are inside, and the last one out puts back the mode the
/// first one found. <c>check</c> makes no output and runs without it (<see cref="FixupPipeline.Verify"/>): holding
/// full collections off raised <c>check --format sarif</c>'s peak on a 1.6M-slot object from 94.5 to 104.1 MB, over
/// its bound (4 x the object + 40 MB).
/// </remarks>
internal static class FullCollections
{
    private static readonly Lock Gate = new();
    private static int inside;
    private static GCLatencyMode saved;

    /// <summary>Runs <paramref name="run"/> with full collections held off.</summary>
    public static T HeldOff<T>(Func<T> run)
    {
        Enter();
        try
        {
            return run();
        }
        finally
        {
            Exit();
        }
    }

    private static void Enter()
    {
        lock (Gate)
        {
            if (inside++ == 0)
            {
                saved = GCSettings.LatencyMode;
                GCSettings.LatencyMode = GCLatencyMode.LowLatency;
            }
        }
    }

    private static void Exit()
    {
        lock (Gate)
        {
            if (--inside == 0)
            {
                GCSettings.LatencyMode = saved;
            }
        }
    }
}
