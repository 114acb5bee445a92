// SPDX-License-Identifier: MIT
using BpfFixup.IO;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.IO;

public sealed class FileStatusTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("bpffixup-stat-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void Kinds_are_told_apart_with_and_without_following_links()
    {
        string file = Path.Combine(temp, "f");
        File.WriteAllText(file, "x");
        string link = Path.Combine(temp, "l");
        File.CreateSymbolicLink(link, "f");
        string dangling = Path.Combine(temp, "d");
        File.CreateSymbolicLink(dangling, "nowhere");
        string fifo = Path.Combine(temp, "p");
        Posix.Mkfifo(fifo);

        Assert.Equal(FileKind.Regular, FileStatus.Of(file, followLinks: true).Kind);
        Assert.Equal(FileKind.Regular, FileStatus.Of(link, followLinks: true).Kind);
        Assert.Equal(FileKind.SymbolicLink, FileStatus.Of(link, followLinks: false).Kind);
        Assert.Equal(FileKind.Missing, FileStatus.Of(dangling, followLinks: true).Kind);
        Assert.Equal(FileKind.Missing, FileStatus.Of(Path.Combine(temp, "none"), followLinks: true).Kind);
        Assert.Equal(FileKind.Missing, FileStatus.Of(Path.Combine(file, "under-a-file"), followLinks: true).Kind);
        Assert.Equal(FileKind.Fifo, FileStatus.Of(fifo, followLinks: true).Kind);
        Assert.Equal(FileKind.Directory, FileStatus.Of(temp, followLinks: true).Kind);
        Assert.Equal(FileKind.CharacterDevice, FileStatus.Of("/dev/null", followLinks: true).Kind);
    }

    [Fact]
    public void Identity_is_device_and_inode_so_links_are_the_same_file()
    {
        string file = Path.Combine(temp, "f");
        File.WriteAllText(file, "x");
        string hard = Path.Combine(temp, "h");
        Posix.HardLink(hard, file);
        string sym = Path.Combine(temp, "s");
        File.CreateSymbolicLink(sym, file);
        string other = Path.Combine(temp, "o");
        File.WriteAllText(other, "x");

        var f = FileStatus.Of(file, followLinks: true);
        Assert.True(f.SameFileAs(FileStatus.Of(hard, followLinks: true)));
        Assert.True(f.SameFileAs(FileStatus.Of(sym, followLinks: true)));
        Assert.True(f.SameFileAs(FileStatus.Of(Path.Combine(temp, ".", "f"), followLinks: true)));
        Assert.False(f.SameFileAs(FileStatus.Of(other, followLinks: true)));
        Assert.False(FileStatus.Of(Path.Combine(temp, "none"), followLinks: true).SameFileAs(FileStatus.Of(Path.Combine(temp, "none2"), followLinks: true)));
    }

    [Fact]
    public void A_symlink_loop_is_an_io_error_in_strerror_words()
    {
        string a = Path.Combine(temp, "a");
        File.CreateSymbolicLink(a, "b");
        File.CreateSymbolicLink(Path.Combine(temp, "b"), "a");
        var e = Assert.Throws<IOException>(() => FileStatus.Of(a, followLinks: true));
        Assert.Equal("too many levels of symbolic links", IoErrors.Describe(e, a));
    }

    [Fact]
    public void An_open_descriptor_has_a_status_and_a_closed_one_has_none()
    {
        using var handle = File.OpenHandle(Path.Combine(temp, "x"), FileMode.Create, FileAccess.Write);
        int fd = (int)handle.DangerousGetHandle();
        Assert.Equal(FileKind.Regular, FileStatus.OfDescriptor(fd)?.Kind);
        Assert.Null(FileStatus.OfDescriptor(1_000_000));
    }
}
