// SPDX-License-Identifier: MIT
using BpfFixup.IO;
using BpfFixup.Tests.TestKit;
using static BpfFixup.Tests.TestKit.CliRun;

namespace BpfFixup.Tests.Cli;

/// <summary>
/// A FIFO, a device or a directory where a verified snapshot should be (issue 8): a check reads it, so it is that
/// file's one read error, without waiting on the FIFO; an accept writes it, so it is refused before anything is
/// written, and the node stays what it is. Exit 2 either way.
/// </summary>
public sealed class SnapshotNodeTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private string Snaps => dir.File("snaps");

    private static string Node(string kind, string path)
    {
        switch (kind)
        {
            case "fifo":
                Posix.Mkfifo(path);
                return "a FIFO";
            case "device":
                File.CreateSymbolicLink(path, "/dev/null"); // a link counts as its target
                return "a character device";
            case "fifo-link":
                Posix.Mkfifo(path + ".fifo");
                File.CreateSymbolicLink(path, Path.GetFileName(path) + ".fifo");
                return "a FIFO";
            default:
                Directory.CreateDirectory(path);
                return "a directory";
        }
    }

    private static async Task<CliResult> RunBounded(params string[] args) =>
        // A FIFO opened for reading waits for a writer: bound the wait (WaitAsync throws TimeoutException).
        await Task.Run(() => Run(args)).WaitAsync(TimeSpan.FromSeconds(60));

    [Theory]
    [InlineData("fifo")]
    [InlineData("device")]
    [InlineData("fifo-link")]
    [InlineData("directory")]
    public async Task Check_names_the_node_it_cannot_read_and_checks_the_rest(string kind)
    {
        string obj = CopySample(dir, "session_basic-el.o", "x.o");
        Assert.Equal(0, Run("snapshot", obj, "--dir", Snaps, "--accept").Code);
        string verified = Path.Combine(Snaps, "x.open_fail.verified.txt");
        File.Delete(verified);
        string what = Node(kind, verified);

        var r = await RunBounded("snapshot", obj, "--dir", Snaps, "--check");

        Assert.Equal(2, r.Code);
        Assert.Equal([$"bpffixup: error: {verified}: cannot read: not a regular file ({what})"], r.ErrLines);
        Assert.Contains($"5 snapshot(s) in {Snaps}: 4 matched, 1 failed, 0 dangling (check mode)", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("refusing to write", r.Out + r.Err, StringComparison.Ordinal);
        Assert.Equal(kind == "directory" ? FileKind.Directory : kind == "fifo" ? FileKind.Fifo : FileKind.SymbolicLink, FileStatus.Of(verified, followLinks: false).Kind);
        Assert.False(File.Exists(Path.Combine(Snaps, "x.open_fail.received.txt")));
    }

    [Theory]
    [InlineData("fifo", "--accept")]
    [InlineData("device", "--accept")]
    [InlineData("fifo-link", "--accept")]
    [InlineData("directory", "--accept")]
    [InlineData("fifo", null)]
    [InlineData("directory", null)]
    public async Task Accept_and_the_default_refuse_before_writing_and_never_rename_over_the_node(string kind, string? mode)
    {
        string obj = CopySample(dir, "session_basic-el.o", "x.o");
        Assert.Equal(0, Run("snapshot", obj, "--dir", Snaps, "--accept").Code);
        string verified = Path.Combine(Snaps, "x.open_fail.verified.txt");
        File.Delete(verified);
        string what = Node(kind, verified);
        // A stale verified file of another program: an accept would rewrite it, a refused one leaves it.
        string other = Path.Combine(Snaps, "x.fsync_count.verified.txt");
        File.WriteAllText(other, "stale\n");

        var r = await RunBounded(mode is null ? ["snapshot", obj, "--dir", Snaps] : ["snapshot", obj, "--dir", Snaps, mode]);

        Assert.Equal(2, r.Code);
        Assert.Equal([$"bpffixup: error: {verified}: refusing to write a snapshot: not a regular file ({what})"], r.ErrLines);
        Assert.Equal("stale\n", File.ReadAllText(other));
        Assert.Equal(kind == "directory" ? FileKind.Directory : kind == "fifo" ? FileKind.Fifo : FileKind.SymbolicLink, FileStatus.Of(verified, followLinks: false).Kind);
        Assert.Empty(Directory.GetFiles(Snaps, "*.tmp*"));
    }

    [Fact]
    public void A_verified_file_too_large_to_be_a_snapshot_is_one_line_not_an_internal_error()
    {
        string obj = CopySample(dir, "session_basic-el.o", "x.o");
        Assert.Equal(0, Run("snapshot", obj, "--dir", Snaps, "--accept").Code);
        string verified = Path.Combine(Snaps, "x.open_fail.verified.txt");
        using (var f = File.OpenWrite(verified))
        {
            f.SetLength(1_900_000_000); // sparse; before: read and decoded whole, OutOfMemoryException
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        var r = Run("snapshot", obj, "--dir", Snaps, "--check");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 256 << 20);

        Assert.Equal(2, r.Code);
        Assert.Equal([$"bpffixup: error: {verified}: cannot read: file too large (1900000000 bytes; a snapshot is read whole, at most 268435456)"], r.ErrLines);
        Assert.Contains("4 matched, 1 failed", r.Out, StringComparison.Ordinal);
        Assert.Equal(1_900_000_000, new FileInfo(verified).Length);
    }
}
