// SPDX-License-Identifier: MIT
using System.Runtime.CompilerServices;
using BpfFixup.Snapshots;

namespace BpfFixup.Tests.TestKit;

/// <summary>
/// The suite runs the same on a developer's machine and in CI: the variables that switch the snapshot mode
/// (<c>CI</c>, <c>BPFFIXUP_ACCEPT</c>) are cleared once when the test assembly loads, so a test that runs
/// <c>snapshot</c> without a mode flag gets the developer's default wherever it runs. Tests of those variables
/// set them themselves (<see cref="EnvironmentScope"/>, in the non-parallel <see cref="EnvironmentCollection"/>).
/// </summary>
internal static class TestProcessEnvironment
{
    [ModuleInitializer]
    internal static void ClearSnapshotModeVariables()
    {
        Environment.SetEnvironmentVariable(SnapshotModeResolver.CiVariable, null);
        Environment.SetEnvironmentVariable(SnapshotModeResolver.AcceptVariable, null);
    }
}
