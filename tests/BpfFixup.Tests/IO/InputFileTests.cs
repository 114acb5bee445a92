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
    public void A_head_check_that_refuses_stops_the_read_at_the_first_bytes()
    {
        string big = dir.File("zeros.o");
        using (var f = File.Create(big))
        {
            f.SetLength(1_900_000_000); // sparse zeros: no disk space used
        }

        var bag = new DiagnosticBag();
        int calls = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var data = InputFile.TryRead(big, "zeros.o", bag, 64, (head, length, d) =>
        {
            calls++;
            Assert.Equal(64, head.Length);
            Assert.Equal(1_900_000_000, length);
            Assert.True(head.IndexOfAnyExcept((byte)0) < 0);
            d.Add(new Diagnostic { Id = DiagnosticIds.MalformedElf, Severity = Severity.Error, Message = "refused", File = "zeros.o" });
            return false;
        });
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Null(data);
        Assert.Equal(1, calls);
        Assert.Equal("refused", Assert.Single(bag.Items).Message);
        Assert.True(allocated < 1 << 20, $"{allocated} bytes allocated to refuse a 1.9 GB file from its first 64");
    }

    [Fact]
    public void A_head_check_sees_a_short_file_whole_and_an_accepted_file_is_read_whole()
    {
        string file = dir.File("x.o");
        File.WriteAllBytes(file, [1, 2, 3]);
        byte[]? seen = null;
        var data = InputFile.TryRead(file, "x.o", new DiagnosticBag(), 64, (head, length, _) =>
        {
            seen = head.ToArray();
            Assert.Equal(3, length);
            return true;
        });
        Assert.Equal([1, 2, 3], seen);
        Assert.Equal([1, 2, 3], data);

        var sample = TestPaths.Sample("session_basic-el.o");
        Assert.Equal(File.ReadAllBytes(sample), InputFile.TryRead(sample, "s.o", new DiagnosticBag(), 64, (_, _, _) => true));
    }

    [Fact]
    public void A_regular_file_that_says_it_is_empty_is_read_to_its_end()
    {
        // procfs (and some sysfs) files have st_size 0 and content, as File.ReadAllBytes reads them.
        const string status = "/proc/self/status";
        Assert.Equal(0, new FileInfo(status).Length);
        var data = InputFile.TryRead(status, "status", new DiagnosticBag());
        Assert.NotNull(data);
        Assert.StartsWith("Name:", System.Text.Encoding.ASCII.GetString(data), StringComparison.Ordinal);
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
