// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.IO;

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
}
