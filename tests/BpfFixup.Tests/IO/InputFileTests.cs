// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.IO;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.IO;

/// <summary>An input is a regular file read whole; anything else is one error line, never a wait or an endless read (issue 8).</summary>
public sealed class InputFileTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private static async Task<string> ReadError(string path)
    {
        var bag = new DiagnosticBag();
        // Before the fix a FIFO waited for a writer and /dev/zero was read until memory ran out: bound the wait
        // (WaitAsync throws TimeoutException).
        Assert.Null(await Task.Run(() => InputFile.TryRead(path, "in.o", bag)).WaitAsync(TimeSpan.FromSeconds(30)));
        var d = Assert.Single(bag.Items);
        Assert.Equal(DiagnosticIds.IoError, d.Id);
        Assert.Equal("in.o", d.File);
        return d.Message;
    }

    [Fact]
    public async Task A_fifo_or_a_device_is_refused_without_reading_it()
    {
        string fifo = dir.File("p.o");
        Posix.Mkfifo(fifo);
        string zero = dir.File("zero.o");
        File.CreateSymbolicLink(zero, "/dev/zero"); // a link counts as its target; nothing is read from it

        Assert.Equal("file at 0x0: cannot read: not a regular file (a FIFO)", await ReadError(fifo));
        Assert.Equal("file at 0x0: cannot read: not a regular file (a character device)", await ReadError(zero));
    }

    [Fact]
    public async Task A_file_longer_than_an_array_is_refused_in_strerror_words()
    {
        string big = dir.File("big.o");
        using (var f = File.Create(big))
        {
            f.SetLength(3L << 30); // sparse: no disk space used
        }

        Assert.Equal($"file at 0x0: cannot read: file too large (3221225472 bytes; an input is read whole, at most {Array.MaxLength})", await ReadError(big));
    }

    [Fact]
    public async Task Missing_files_and_directories_keep_their_strerror_words()
    {
        Assert.Equal("file at 0x0: cannot read: no such file or directory", await ReadError(dir.File("none.o")));
        Assert.Equal("file at 0x0: cannot read: is a directory", await ReadError(dir.Path));
        string file = dir.File("x.o");
        File.WriteAllBytes(file, [1, 2, 3]);
        Assert.Equal([1, 2, 3], InputFile.TryRead(file, "x.o", new DiagnosticBag()));
    }
}
