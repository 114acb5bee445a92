// SPDX-License-Identifier: MIT
using BpfFixup.Snapshots;

namespace BpfFixup.Tests.Snapshots;

public sealed class SnapshotModeResolverTests
{
    private static Func<string, string?> Env(string? accept, string? ci)
        => name => name switch
        {
            "BPFFIXUP_ACCEPT" => accept,
            "CI" => ci,
            _ => null,
        };

    [Theory]
    [InlineData(SnapshotMode.Check, null, null, SnapshotMode.Check)]
    [InlineData(SnapshotMode.Default, null, null, SnapshotMode.Default)]
    [InlineData(SnapshotMode.Check, "1", null, SnapshotMode.Accept)]
    [InlineData(SnapshotMode.Check, "true", "", SnapshotMode.Accept)]
    [InlineData(SnapshotMode.Check, "1", "false", SnapshotMode.Accept)]
    [InlineData(SnapshotMode.Check, "1", "0", SnapshotMode.Accept)]
    [InlineData(SnapshotMode.Check, "1", "true", SnapshotMode.Check)]
    [InlineData(SnapshotMode.Check, "1", "1", SnapshotMode.Check)]
    [InlineData(SnapshotMode.Check, "force", "true", SnapshotMode.Accept)]
    [InlineData(SnapshotMode.Check, "FORCE", null, SnapshotMode.Accept)]
    [InlineData(SnapshotMode.Check, "0", null, SnapshotMode.Check)]
    [InlineData(SnapshotMode.Check, "yes please", null, SnapshotMode.Check)]
    [InlineData(SnapshotMode.Default, null, "true", SnapshotMode.Check)]
    [InlineData(SnapshotMode.Default, "1", "true", SnapshotMode.Check)]
    [InlineData(SnapshotMode.Accept, null, "true", SnapshotMode.Accept)]
    public void Environment_decides(SnapshotMode requested, string? accept, string? ci, SnapshotMode expected)
    {
        Assert.Equal(expected, SnapshotModeResolver.Resolve(requested, Env(accept, ci)).Mode);
    }

    [Fact]
    public void Ignored_accept_on_ci_is_explained()
    {
        var decision = SnapshotModeResolver.Resolve(SnapshotMode.Check, Env("1", "true"));
        Assert.True(decision.OnCi);
        Assert.Contains(decision.Notes, n => n.Contains("BPFFIXUP_ACCEPT=force", StringComparison.Ordinal));
    }

    [Fact]
    public void No_environment_changes_nothing()
    {
        Assert.Equal(SnapshotMode.Default, SnapshotModeResolver.Resolve(SnapshotMode.Default, null).Mode);
    }
}
