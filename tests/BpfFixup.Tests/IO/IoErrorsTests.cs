// SPDX-License-Identifier: MIT
using BpfFixup.IO;

namespace BpfFixup.Tests.IO;

public class IoErrorsTests
{
    [Theory]
    [InlineData(Errno.ReadOnlyFileSystem, "read-only file system")]
    [InlineData(Errno.NoSpace, "no space left on device")]
    [InlineData(Errno.AccessDenied, "permission denied")]
    [InlineData(Errno.BrokenPipe, "broken pipe")]
    [InlineData(Errno.BadDescriptor, "bad file descriptor")]
    [InlineData(Errno.IoError, "input/output error")]
    [InlineData(71, "protocol error")]
    public void Errno_is_described_in_strerror_words(int errno, string words)
    {
        Assert.Equal(words, IoErrors.Strerror(errno));

        // .NET raises a plain IOException with HResult = errno for what it has no type for (EROFS: "0x0000001e" before).
        Assert.Equal(words, IoErrors.Describe(new IOException("anything /abs/path", errno), "x"));
    }

    [Fact]
    public void The_errno_is_found_inside_a_wrapping_exception()
    {
        var e = new UnauthorizedAccessException("denied", new IOException("Bad file descriptor", Errno.BadDescriptor));
        Assert.Equal(Errno.BadDescriptor, IoErrors.ErrnoOf(e));
        Assert.True(IoErrors.IsBrokenPipe(new IOException("x", Errno.BrokenPipe)));
        Assert.Null(IoErrors.ErrnoOf(new FileNotFoundException()));
    }

    [Fact]
    public void Real_failures_read_as_the_kernel_says_them()
    {
        var notFound = Assert.ThrowsAny<IOException>(() => File.ReadAllBytes("/no/such/file.o"));
        Assert.Equal("no such file or directory", IoErrors.Describe(notFound, "/no/such/file.o"));
        var notDir = Assert.ThrowsAny<IOException>(() => File.ReadAllBytes("/dev/null/x.o"));
        Assert.Equal("not a directory", IoErrors.Describe(notDir, "/dev/null/x.o"));
    }
}
