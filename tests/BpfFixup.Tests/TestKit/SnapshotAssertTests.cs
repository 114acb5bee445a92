// SPDX-License-Identifier: MIT
using BpfFixup.Snapshots;

namespace BpfFixup.Tests.TestKit;

public sealed class SnapshotAssertTests
{
    [Fact]
    public void Match_uses_the_committed_snapshot()
    {
        SnapshotAssert.Match("first line\nsecond line\n");
    }

    [Theory]
    [InlineData("session_basic-el.o")]
    [InlineData("session_basic-eb.o")]
    public void Match_with_parameters(string sample)
    {
        SnapshotAssert.Match("sample " + sample, parameters: sample);
    }

    [Fact]
    public void Names_follow_verify()
    {
        Assert.Equal("Foo.Bar.verified.txt", SnapshotAssert.FileName("Foo", "Bar", null));
        Assert.Equal("Foo.Bar_x.o.verified.txt", SnapshotAssert.FileName("Foo", "Bar", "x.o"));
    }

    [Fact]
    public void Deterministic_build_paths_resolve_against_the_repository()
    {
        Assert.Equal("/repo/tests/X.cs", SnapshotAssert.ResolveSourcePath("/_/tests/X.cs", "/repo"));
        Assert.Equal("/src/tests/X.cs", SnapshotAssert.ResolveSourcePath("/src/tests/X.cs", "/repo"));
    }

    [Fact]
    public void Mismatch_writes_received_and_reports_a_diff_and_accept_fixes_it()
    {
        using var dir = new TempDirectory();
        var caller = dir.File("FakeTests.cs");
        Func<string, string?> none = _ => null;

        var missing = SnapshotAssert.Run("a\nb", caller, "Case", null, none);
        Assert.Equal(SnapshotOutcome.Missing, Assert.Single(missing.Entries).Outcome);
        Assert.Contains("+++ b/FakeTests.Case.verified.txt\n@@ -0,0 +1,2 @@\n+a\n+b\n", missing.Describe(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir.Path, "Snapshots", "FakeTests.Case.received.txt")));

        var ci = SnapshotAssert.Run("a\nb", caller, "Case", null, n => n == "CI" ? "true" : n == "BPFFIXUP_ACCEPT" ? "1" : null);
        Assert.False(ci.Succeeded);

        var accepted = SnapshotAssert.Run("a\nb", caller, "Case", null, n => n == "BPFFIXUP_ACCEPT" ? "1" : null);
        Assert.True(accepted.Succeeded);
        Assert.Equal(["FakeTests.Case.verified.txt"], Directory.GetFiles(Path.Combine(dir.Path, "Snapshots")).Select(Path.GetFileName));
        Assert.True(SnapshotAssert.Run("a\nb", caller, "Case", null, none).Succeeded);
    }
}
