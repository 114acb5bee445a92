// SPDX-License-Identifier: MIT
using System.Runtime;
using BpfFixup.Rewrite;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Pipeline;

/// <summary>
/// The rewrite runs with full collections held off, and the process's latency mode comes back after it (the mode is
/// process-wide: these tests run alone, in the collection that runs after the parallel ones).
/// </summary>
[Collection(EnvironmentCollection.Name)]
public class RewriteCollectionTests
{
    [Fact]
    public void Inside_a_run_full_collections_are_held_off_and_the_mode_comes_back_after_it()
    {
        var before = GCSettings.LatencyMode;
        Assert.NotEqual(GCLatencyMode.LowLatency, before);
        Assert.Equal(GCLatencyMode.LowLatency, RewriteCollection.Run(() => GCSettings.LatencyMode));
        Assert.Equal(before, GCSettings.LatencyMode);
    }

    [Fact]
    public void A_nested_run_leaves_the_outer_one_held_off_and_only_the_outer_one_restores()
    {
        var before = GCSettings.LatencyMode;
        var (inner, afterInner) = RewriteCollection.Run(() => (RewriteCollection.Run(() => GCSettings.LatencyMode), GCSettings.LatencyMode));
        Assert.Equal(GCLatencyMode.LowLatency, inner);
        Assert.Equal(GCLatencyMode.LowLatency, afterInner);
        Assert.Equal(before, GCSettings.LatencyMode);
    }

    [Fact]
    public void A_run_that_throws_still_restores_the_mode()
    {
        var before = GCSettings.LatencyMode;
        Assert.Throws<InvalidOperationException>(() => RewriteCollection.Run<int>(() => throw new InvalidOperationException("x")));
        Assert.Equal(before, GCSettings.LatencyMode);
    }

    [Fact]
    public void Patch_and_check_leave_the_mode_as_they_found_it()
    {
        var before = GCSettings.LatencyMode;
        var obj = TestHelpers.Load(File.ReadAllBytes(TestPaths.Sample("session_basic-el.o")), "x.o");
        Assert.NotNull(FixupPipeline.Run(obj, new RewriteOptions()).Rewrite?.Output);
        Assert.False(FixupPipeline.Verify(obj, new RewriteOptions()).HasErrors);
        Assert.Equal(before, GCSettings.LatencyMode);
    }
}
