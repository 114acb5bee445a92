// SPDX-License-Identifier: MIT
using BpfFixup.Snapshots;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Snapshots;

public sealed class SnapshotRunnerTests
{
    private static SnapshotEntry Entry(string obj, string prog, string content)
        => new(obj + ":" + prog, SnapshotNaming.VerifiedFileName(obj, prog), content);

    private static SnapshotRunOptions Options(SnapshotMode mode, string? accept = null, string? ci = null)
        => new()
        {
            Mode = mode,
            Environment = name => name == "BPFFIXUP_ACCEPT" ? accept : name == "CI" ? ci : null,
        };

    [Fact]
    public void The_next_step_names_the_directory_and_accept_only_when_something_is_left_to_accept()
    {
        using var dir = new TempDirectory();
        var created = SnapshotRunner.Run(dir.Path, [Entry("a.o", "p", "x"), Entry("a.o", "q", "y")], Options(SnapshotMode.Default));
        Assert.Null(created.NextStep("snaps"));

        var differs = SnapshotRunner.Run(dir.Path, [Entry("a.o", "p", "x2"), Entry("a.o", "q", "y")], Options(SnapshotMode.Check));
        Assert.Equal(
            "next step: review the diffs above; if the change is intended, run the same command with --accept to write the 1 received snapshot(s) into snaps as verified",
            differs.NextStep("snaps"));

        // A dangling file alone: nothing to review, --accept deletes it.
        var dangling = SnapshotRunner.Run(dir.Path, [Entry("a.o", "p", "x")], Options(SnapshotMode.Check));
        Assert.Equal("next step: run the same command with --accept to delete the 1 dangling one(s)", dangling.NextStep("snaps"));

        var accepted = SnapshotRunner.Run(dir.Path, [Entry("a.o", "p", "x2")], Options(SnapshotMode.Accept));
        Assert.True(accepted.Succeeded);
        Assert.Null(accepted.NextStep("snaps"));
    }

    [Fact]
    public void Default_creates_missing_then_matches()
    {
        using var dir = new TempDirectory();
        var first = SnapshotRunner.Run(dir.Path, [Entry("a.o", "p", "x\r\ny\n")], Options(SnapshotMode.Default));
        Assert.Equal(SnapshotOutcome.Created, Assert.Single(first.Entries).Outcome);
        Assert.Equal(0, first.ExitCode);
        Assert.Equal("x\ny"u8.ToArray(), File.ReadAllBytes(dir.File("a.p.verified.txt")));

        var second = SnapshotRunner.Run(dir.Path, [Entry("a.o", "p", "x\ny")], Options(SnapshotMode.Default));
        Assert.Equal(SnapshotOutcome.Matched, Assert.Single(second.Entries).Outcome);
        Assert.Equal(["a.p.verified.txt"], dir.Names());
    }

    [Fact]
    public void Default_reports_a_difference_and_writes_received()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a.p.verified.txt"), "x\ny");
        var result = SnapshotRunner.Run(dir.Path, [Entry("a.o", "p", "x\nz")], Options(SnapshotMode.Default));
        var entry = Assert.Single(result.Entries);
        Assert.Equal(SnapshotOutcome.Mismatched, entry.Outcome);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("x\ny", File.ReadAllText(dir.File("a.p.verified.txt")));
        Assert.Equal("x\nz", File.ReadAllText(dir.File("a.p.received.txt")));
    }

    [Fact]
    public void Check_mismatch_writes_received_and_a_unified_diff()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a.p.verified.txt"), "\uFEFFr0 = 0\r\nexit\r\n");
        var result = SnapshotRunner.Run(dir.Path, [Entry("a.o", "p", "r0 = 1\nexit")], Options(SnapshotMode.Check));
        var entry = Assert.Single(result.Entries);
        Assert.Equal(SnapshotOutcome.Mismatched, entry.Outcome);
        Assert.Equal("a.p.received.txt", entry.ReceivedFileName);
        Assert.Equal(
            "--- a/a.p.verified.txt\n+++ b/a.p.verified.txt\n@@ -1,2 +1,2 @@\n-r0 = 0\n+r0 = 1\n exit\n",
            entry.Diff);
        Assert.Equal(entry.Diff, result.Diffs);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public void Check_match_tolerates_bom_and_crlf_and_deletes_stale_received()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a.p.verified.txt"), "\uFEFFr0 = 0\r\nexit\r\n");
        File.WriteAllText(dir.File("a.p.received.txt"), "old");
        var result = SnapshotRunner.Run(dir.Path, [Entry("a.o", "p", "r0 = 0\nexit\n")], Options(SnapshotMode.Check));
        Assert.Equal(SnapshotOutcome.Matched, Assert.Single(result.Entries).Outcome);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["a.p.verified.txt"], dir.Names());
    }

    [Fact]
    public void Check_missing_is_a_failure_with_received()
    {
        using var dir = new TempDirectory();
        var result = SnapshotRunner.Run(dir.Path, [Entry("a.o", "p", "exit")], Options(SnapshotMode.Check));
        Assert.Equal(SnapshotOutcome.Missing, Assert.Single(result.Entries).Outcome);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["a.p.received.txt"], dir.Names());
    }

    [Fact]
    public void Dangling_is_scoped_to_the_objects_of_the_run()
    {
        using var dir = new TempDirectory();
        foreach (var name in new[] { "a.p.verified.txt", "a.gone.verified.txt", "b.q.verified.txt", "a.bpf.r.verified.txt", "notes.txt" })
        {
            File.WriteAllText(dir.File(name), "exit");
        }

        var result = SnapshotRunner.Run(dir.Path, [Entry("a.o", "p", "exit")], Options(SnapshotMode.Check));
        Assert.Equal(["a.gone.verified.txt"], result.Dangling);
        Assert.True(result.DanglingIsFailure);
        Assert.Equal(1, result.ExitCode);

        // An object whose programs all disappeared is claimed through ObjectStems.
        var withStems = SnapshotRunner.Run(
            dir.Path, [Entry("a.o", "p", "exit")], Options(SnapshotMode.Check) with { ObjectStems = ["a", "a.bpf"] });
        Assert.Equal(["a.bpf.r.verified.txt", "a.gone.verified.txt"], withStems.Dangling);

        // Default mode reports but does not fail; an empty scope disables the check.
        Assert.Equal(0, SnapshotRunner.Run(dir.Path, [Entry("a.o", "p", "exit")], Options(SnapshotMode.Default)).ExitCode);
        Assert.Empty(SnapshotRunner.Run(dir.Path, [Entry("a.o", "p", "exit")], Options(SnapshotMode.Check) with { ObjectStems = [] }).Dangling);
    }

    [Fact]
    public void Accept_overwrites_deletes_received_and_dangling()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a.p.verified.txt"), "old");
        File.WriteAllText(dir.File("a.p.received.txt"), "new");
        File.WriteAllText(dir.File("a.gone.verified.txt"), "x");
        File.WriteAllText(dir.File("b.q.verified.txt"), "x");
        var result = SnapshotRunner.Run(
            dir.Path, [Entry("a.o", "p", "new"), Entry("a.o", "fresh", "f")], Options(SnapshotMode.Check, accept: "1"));
        Assert.Equal(SnapshotMode.Accept, result.Mode);
        Assert.All(result.Entries, e => Assert.Equal(SnapshotOutcome.Accepted, e.Outcome));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["a.fresh.verified.txt", "a.p.verified.txt", "b.q.verified.txt"], dir.Names());
        Assert.Equal("new", File.ReadAllText(dir.File("a.p.verified.txt")));
    }

    [Fact]
    public void Accept_is_refused_on_ci_unless_forced()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a.p.verified.txt"), "old");
        var refused = SnapshotRunner.Run(dir.Path, [Entry("a.o", "p", "new")], Options(SnapshotMode.Check, accept: "1", ci: "true"));
        Assert.Equal(SnapshotOutcome.Mismatched, Assert.Single(refused.Entries).Outcome);
        Assert.NotEmpty(refused.Notes);
        Assert.Equal("old", File.ReadAllText(dir.File("a.p.verified.txt")));

        var forced = SnapshotRunner.Run(dir.Path, [Entry("a.o", "p", "new")], Options(SnapshotMode.Check, accept: "force", ci: "true"));
        Assert.Equal(SnapshotOutcome.Accepted, Assert.Single(forced.Entries).Outcome);
        Assert.Equal(["a.p.verified.txt"], dir.Names());
    }

    [Fact]
    public void Default_on_ci_does_not_create_snapshots()
    {
        using var dir = new TempDirectory();
        var result = SnapshotRunner.Run(dir.Path, [Entry("a.o", "p", "exit")], Options(SnapshotMode.Default, ci: "true"));
        Assert.Equal(SnapshotOutcome.Missing, Assert.Single(result.Entries).Outcome);
        Assert.False(File.Exists(dir.File("a.p.verified.txt")));
    }

    [Fact]
    public void Collisions_are_reported_and_not_written()
    {
        using var dir = new TempDirectory();
        var result = SnapshotRunner.Run(
            dir.Path,
            [new SnapshotEntry("x.o:p", "x.p.verified.txt", "1"), new SnapshotEntry("X.o:p", "X.p.verified.txt", "2"), Entry("y.o", "q", "3")],
            Options(SnapshotMode.Default));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(["X.o:p", "x.o:p"], Assert.Single(result.Collisions).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["y.q.verified.txt"], dir.Names());
    }

    [Fact]
    public void Unsafe_file_names_are_errors()
    {
        using var dir = new TempDirectory();
        var result = SnapshotRunner.Run(
            dir.Path, [new SnapshotEntry("k", "../evil.verified.txt", "x"), new SnapshotEntry("k2", "plain.txt", "x")], Options(SnapshotMode.Accept));
        Assert.All(result.Entries, e => Assert.Equal(SnapshotOutcome.Error, e.Outcome));
        Assert.Equal(2, result.ExitCode);
        Assert.Empty(dir.Names());
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(dir.Path)!, "evil.verified.txt")));
    }

    [Fact]
    public void Missing_directory_is_created()
    {
        using var dir = new TempDirectory();
        var nested = Path.Combine(dir.Path, "deep", "snapshots");
        var result = SnapshotRunner.Run(nested, [Entry("a.o", "p", "exit")], Options(SnapshotMode.Default));
        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(Path.Combine(nested, "a.p.verified.txt")));
    }

    [Fact]
    public void Unusable_directory_is_an_error_result_without_relative_leaks()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("file"), "not a directory");
        var result = SnapshotRunner.Run(
            dir.File("file"), [Entry("a.o", "p", "exit")], Options(SnapshotMode.Accept) with { DisplayDirectory = "snapshots" });
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(SnapshotOutcome.Error, Assert.Single(result.Entries).Outcome);
        var error = Assert.Single(result.Errors);
        Assert.DoesNotContain(dir.Path, error, StringComparison.Ordinal);
        Assert.Equal(["file"], dir.Names());
    }

    [Fact]
    public void Failed_write_leaves_no_temporary_or_partial_file()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a.p.verified.txt"), "old");
        Directory.CreateDirectory(dir.File("a.p.received.txt")); // the received file cannot be written
        var result = SnapshotRunner.Run(dir.Path, [Entry("a.o", "p", "new")], Options(SnapshotMode.Check));
        var entry = Assert.Single(result.Entries);
        Assert.Equal(SnapshotOutcome.Error, entry.Outcome);
        Assert.NotNull(entry.Diff);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(["a.p.received.txt", "a.p.verified.txt"], dir.Names());
        Assert.Equal("old", File.ReadAllText(dir.File("a.p.verified.txt")));
    }
}
