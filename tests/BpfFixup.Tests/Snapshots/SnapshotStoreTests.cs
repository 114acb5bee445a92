// SPDX-License-Identifier: MIT
using BpfFixup.Snapshots;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Snapshots;

/// <summary>Verified files are read into one reused buffer: each read gives that file's bytes, whole and no more.</summary>
public class SnapshotStoreTests
{
    [Fact]
    public void Files_read_one_after_another_give_each_its_own_bytes_whatever_was_read_before()
    {
        using var dir = new TempDirectory();
        var large = new byte[200_000];
        new Random(7).NextBytes(large);
        File.WriteAllBytes(dir.File("a.verified.txt"), large);
        File.WriteAllBytes(dir.File("b.verified.txt"), "short\n"u8.ToArray());
        File.WriteAllBytes(dir.File("c.verified.txt"), []);
        var store = new SnapshotStore(dir.Path);

        Assert.Null(store.TryReadBytes("b.verified.txt", out var small));
        Assert.Equal("short\n"u8.ToArray(), small!.Value.ToArray());
        Assert.Null(store.TryReadBytes("a.verified.txt", out var whole));
        Assert.Equal(large, whole!.Value.ToArray());
        Assert.Null(store.TryReadBytes("b.verified.txt", out small));
        Assert.Equal("short\n"u8.ToArray(), small!.Value.ToArray());
        Assert.Null(store.TryReadBytes("c.verified.txt", out var empty));
        Assert.Equal(0, empty!.Value.Count);
        Assert.Null(store.TryReadBytes("missing.verified.txt", out var missing));
        Assert.Null(missing);
    }
}
