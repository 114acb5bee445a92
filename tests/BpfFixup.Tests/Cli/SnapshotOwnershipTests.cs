// SPDX-License-Identifier: MIT
using BpfFixup.IO;
using BpfFixup.Tests.TestKit;
using static BpfFixup.Tests.TestKit.CliRun;

namespace BpfFixup.Tests.Cli;

/// <summary>Two objects of one stem share a snapshot directory without deleting or overwriting each other's files.</summary>
public sealed class SnapshotOwnershipTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private string Snaps => dir.File("snaps");

    private (string D1, string D2) TwoObjectsNamedX()
    {
        Directory.CreateDirectory(dir.File("d1"));
        Directory.CreateDirectory(dir.File("d2"));
        return (CopySample(dir, "session_basic-el.o", Path.Combine("d1", "x.o")), CopySample(dir, "session_asm-el.o", Path.Combine("d2", "x.o")));
    }

    private string[] Names() => [.. Directory.GetFiles(Snaps).Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(n => n!)];

    [Fact]
    public void Accepting_one_object_keeps_the_files_of_another_with_the_same_stem()
    {
        var (d1, d2) = TwoObjectsNamedX();
        Assert.Equal(0, Run("snapshot", d1, "--dir", Snaps, "--accept").Code);
        var ofD1 = Names();
        Assert.Equal(5, ofD1.Length);
        Assert.StartsWith("object: ../d1/x.o\n", File.ReadAllText(Path.Combine(Snaps, ofD1[0])), StringComparison.Ordinal);

        var r = Run("snapshot", d2, "--dir", Snaps, "--accept");
        Assert.Equal(0, r.Code);
        Assert.DoesNotContain("dangling", r.Out.Replace("0 dangling", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(10, Names().Length);
        Assert.Superset(new HashSet<string>(ofD1), new HashSet<string>(Names()));

        // Each checks clean on its own and together; the owner is the same from another working directory.
        Assert.Equal(0, Run("snapshot", d1, "--dir", Snaps, "--check").Code);
        Assert.Equal(0, Run("snapshot", d2, "--dir", Snaps, "--check").Code);
        Assert.Equal(0, Run("snapshot", d1, d2, "--dir", Snaps, "--check").Code);
        Assert.Equal("../d1/x.o", BpfFixup.Snapshots.SnapshotOwner.Of(Path.Combine(dir.Path, "d1", "..", "d1", "x.o"), Snaps + "/"));
    }

    [Fact]
    public void A_dangling_file_is_only_one_this_object_owns()
    {
        var (d1, d2) = TwoObjectsNamedX();
        Assert.Equal(0, Run("snapshot", d1, d2, "--dir", Snaps).Code);
        File.WriteAllText(Path.Combine(Snaps, "x.gone.verified.txt"), "object: ../d1/x.o\nprogram: gone\n");

        var r = Run("snapshot", d2, "--dir", Snaps, "--check");
        Assert.Equal(0, r.Code);
        r = Run("snapshot", d1, "--dir", Snaps, "--check");
        Assert.Equal(1, r.Code);
        Assert.Contains("dangling: x.gone.verified.txt", r.OutLines);
        r = Run("snapshot", d1, "--dir", Snaps, "--accept");
        Assert.Equal(0, r.Code);
        Assert.False(File.Exists(Path.Combine(Snaps, "x.gone.verified.txt")));
        Assert.Equal(10, Names().Length);
    }

    [Fact]
    public void Another_objects_file_of_the_same_name_is_never_overwritten()
    {
        var (d1, _) = TwoObjectsNamedX();
        Assert.Equal(0, Run("snapshot", d1, "--dir", Snaps).Code);
        string name = Names()[0];
        string theirs = File.ReadAllText(Path.Combine(Snaps, name));

        // The same object, copied elsewhere, is another object.
        Directory.CreateDirectory(dir.File("d3"));
        string d3 = CopySample(dir, "session_basic-el.o", Path.Combine("d3", "x.o"));
        var r = Run("snapshot", d3, "--dir", Snaps, "--accept");
        Assert.Equal(2, r.Code);
        Assert.Contains($"bpffixup: error: {Path.Combine(Snaps, name)}: belongs to ../d1/x.o, not ../d3/x.o; not overwritten (use another --dir)", r.ErrLines);
        Assert.DoesNotContain("belongs to", r.Out, StringComparison.Ordinal);
        Assert.Equal(theirs, File.ReadAllText(Path.Combine(Snaps, name)));
    }

    [Fact]
    public void Files_written_before_owners_were_recorded_still_belong_to_an_object_of_that_name()
    {
        var (d1, _) = TwoObjectsNamedX();
        Directory.CreateDirectory(Snaps);
        File.WriteAllText(Path.Combine(Snaps, "x.old.verified.txt"), "object: x.o\nprogram: old\n");
        var r = Run("snapshot", d1, "--dir", Snaps, "--accept");
        Assert.Equal(0, r.Code);
        Assert.Contains("deleted dangling: x.old.verified.txt", r.OutLines);
    }

    [Fact]
    public void A_fifo_or_an_input_where_a_snapshot_goes_is_refused_before_anything_is_written()
    {
        var (d1, _) = TwoObjectsNamedX();
        Directory.CreateDirectory(Snaps);
        string fifo = Path.Combine(Snaps, "x.fsync_count.verified.txt");
        Posix.Mkfifo(fifo);
        var r = Run("snapshot", d1, "--dir", Snaps, "--accept");
        Assert.Equal(2, r.Code);
        Assert.Equal([$"bpffixup: error: {fifo}: refusing to write a snapshot: not a regular file (a FIFO)"], r.ErrLines);
        Assert.Equal(["x.fsync_count.verified.txt"], Names());
        Assert.Equal(FileKind.Fifo, FileStatus.Of(fifo, followLinks: false).Kind);
        File.Delete(fifo);

        Posix.HardLink(Path.Combine(Snaps, "x.open_fail.received.txt"), d1);
        r = Run("snapshot", d1, "--dir", Snaps, "--check");
        Assert.Equal(2, r.Code);
        Assert.Equal([$"bpffixup: error: {Path.Combine(Snaps, "x.open_fail.received.txt")}: refusing to write a snapshot: it is the input {d1}"], r.ErrLines);
        Assert.Equal(File.ReadAllBytes(TestPaths.Sample("session_basic-el.o")), File.ReadAllBytes(d1));
    }
}
