// SPDX-License-Identifier: MIT
using System.Runtime;
using BpfFixup.Cli;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Cli;

/// <summary>
/// <c>patch</c> runs with full collections held off, and the process's latency mode comes back after it (the mode is
/// process-wide: these tests run alone, in the collection that runs after the parallel ones).
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class FullCollectionsTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Inside_a_run_full_collections_are_held_off_and_the_mode_comes_back_after_it()
    {
        var before = GCSettings.LatencyMode;
        Assert.NotEqual(GCLatencyMode.LowLatency, before);
        Assert.Equal(GCLatencyMode.LowLatency, FullCollections.HeldOff(() => GCSettings.LatencyMode));
        Assert.Equal(before, GCSettings.LatencyMode);
    }

    [Fact]
    public void A_nested_run_leaves_the_outer_one_held_off_and_only_the_outer_one_restores()
    {
        var before = GCSettings.LatencyMode;
        var (inner, afterInner) = FullCollections.HeldOff(() => (FullCollections.HeldOff(() => GCSettings.LatencyMode), GCSettings.LatencyMode));
        Assert.Equal(GCLatencyMode.LowLatency, inner);
        Assert.Equal(GCLatencyMode.LowLatency, afterInner);
        Assert.Equal(before, GCSettings.LatencyMode);
    }

    [Fact]
    public void A_run_that_throws_still_restores_the_mode()
    {
        var before = GCSettings.LatencyMode;
        Assert.Throws<InvalidOperationException>(() => FullCollections.HeldOff<int>(() => throw new InvalidOperationException("x")));
        Assert.Equal(before, GCSettings.LatencyMode);
    }

    [Fact]
    public void The_patch_command_leaves_the_mode_as_it_found_it()
    {
        var before = GCSettings.LatencyMode;
        var r = CliRun.Run("patch", TestPaths.Sample("session_basic-el.o"), "-o", dir.File("out.o"));
        Assert.Equal(0, r.Code);
        Assert.Equal(before, GCSettings.LatencyMode);
    }
}
