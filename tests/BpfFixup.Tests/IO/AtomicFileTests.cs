// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.IO;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("bpffixup-atomic-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void Writes_and_replaces_leaving_no_temporary_file()
    {
        string path = Path.Combine(temp, "out.o");
        var diags = new DiagnosticBag();
        Assert.True(AtomicFile.TryWriteAllBytes(path, [1, 2, 3], diags));
        Assert.True(AtomicFile.TryWriteAllText(path, "text\n", diags));
        Assert.Equal("text\n"u8.ToArray(), File.ReadAllBytes(path));
        Assert.Equal(["out.o"], Directory.GetFiles(temp).Select(Path.GetFileName));
        Assert.Empty(diags.Items);
    }

    [Fact]
    public void Failure_in_the_writer_keeps_the_old_file_and_removes_the_temporary()
    {
        string path = Path.Combine(temp, "out.o");
        File.WriteAllText(path, "old");
        var diags = new DiagnosticBag();
        Assert.False(AtomicFile.TryWrite(path, s => { s.WriteByte(1); throw new IOException("disk full"); }, diags));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["out.o"], Directory.GetFiles(temp).Select(Path.GetFileName));
        var d = Assert.Single(diags.Items);
        Assert.Equal(path, d.File);
        Assert.StartsWith("cannot write: ", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_directory_is_one_error_naming_the_path_as_given()
    {
        var diags = new DiagnosticBag();
        Assert.False(AtomicFile.TryWriteAllText("no-such-dir/out.txt", "x", diags));
        var d = Assert.Single(diags.Items);
        Assert.Equal("no-such-dir/out.txt", d.File);
        Assert.Equal("cannot write: no such file or directory", d.Message);
    }

    [Fact]
    public void A_full_disk_is_reported_in_strerror_words_without_the_temporary_path()
    {
        string path = Path.Combine(temp, "out.o");
        var diags = new DiagnosticBag();
        Assert.False(AtomicFile.TryWrite(path, _ => throw IoErrors.FromErrno(Errno.NoSpace), diags));
        Assert.Equal("cannot write: no space left on device", Assert.Single(diags.Items).Message);
        Assert.Empty(Directory.GetFiles(temp));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void A_symlink_is_written_through_to_its_target_which_keeps_its_mode()
    {
        string target = Path.Combine(temp, "real.o");
        File.WriteAllText(target, "old");
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string link = Path.Combine(temp, "link.o");
        File.CreateSymbolicLink(link, "real.o");

        Assert.True(AtomicFile.TryWriteAllText(link, "new", new DiagnosticBag()));
        Assert.Equal("real.o", new FileInfo(link).LinkTarget);
        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(target));
        Assert.Equal(["link.o", "real.o"], Directory.GetFileSystemEntries(temp).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Nothing_is_renamed_over_a_fifo_or_a_directory()
    {
        string fifo = Path.Combine(temp, "fifo");
        Posix.Mkfifo(fifo);
        string dir = Directory.CreateDirectory(Path.Combine(temp, "dir")).FullName;
        foreach (var path in new[] { fifo, dir })
        {
            var diags = new DiagnosticBag();
            Assert.False(AtomicFile.TryWriteAllText(path, "x", diags));
            Assert.StartsWith("cannot write: not a regular file (", Assert.Single(diags.Items).Message, StringComparison.Ordinal);
        }

        Assert.Equal(FileKind.Fifo, FileStatus.Of(fifo, followLinks: false).Kind);
        Assert.Equal(FileKind.Directory, FileStatus.Of(dir, followLinks: false).Kind);
        Assert.Equal(["dir", "fifo"], Directory.GetFileSystemEntries(temp).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Temporary_names_fit_in_name_max_for_the_longest_names()
    {
        string name = new string('a', 254) + "b";
        string temp1 = AtomicFile.TempName(name);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(temp1) <= 255, temp1);
        Assert.StartsWith("." + new string('a', 64) + ".", temp1, StringComparison.Ordinal);

        // A long snapshot name is written, not refused for its temporary file's name.
        string path = Path.Combine(temp, name);
        Assert.True(AtomicFile.TryWriteAllText(path, "x", new DiagnosticBag()));
        Assert.Equal("x", File.ReadAllText(path));
    }
}
