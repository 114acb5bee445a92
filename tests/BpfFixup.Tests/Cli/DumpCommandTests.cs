// SPDX-License-Identifier: MIT
using System.Text.Json;
using BpfFixup.Cli;

namespace BpfFixup.Tests.Cli;

public sealed class DumpCommandTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("bpffixup-cli-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        int code = Program.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static void AssertOneErrorLine(string err, string expected)
    {
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.Equal(expected, line);
    }

    private string Copy(string sample, Func<byte[], byte[]> change)
    {
        string path = Path.Combine(temp, "bad.o");
        File.WriteAllBytes(path, change(File.ReadAllBytes(TestPaths.Sample(sample))));
        return path;
    }

    [Fact]
    public void Dump_of_a_good_object_exits_0_and_prints_the_listing()
    {
        var (code, output, err) = Run("dump", TestPaths.Sample("session_basic-el.o"));
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, err);
        Assert.Contains("       5:\t85 10 00 00 ff ff ff ff\tcall -0x1\n\t\t0000000000000028:  R_BPF_64_32\tbpf_session_cookie\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_reach_the_listing()
    {
        var (code, output, _) = Run("dump", "--syntax", "xlated", "--no-raw", "--program", "fsync_count", TestPaths.Sample("session_basic-eb.o"));
        Assert.Equal(0, code);
        Assert.Contains("       1:\t(85) call bpf_session_is_return#-1\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("unlink_lat", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_has_one_shape_for_one_file_and_for_several()
    {
        var (code, output, _) = Run("dump", "--json", TestPaths.Sample("session_basic-el.o"));
        Assert.Equal(0, code);
        using (var doc = JsonDocument.Parse(output))
        {
            Assert.Equal(1, doc.RootElement.GetProperty("schemaVersion").GetInt32());
            Assert.Equal("little", Assert.Single(doc.RootElement.GetProperty("objects").EnumerateArray()).GetProperty("byteOrder").GetString());
        }

        (code, output, _) = Run("dump", "--json", TestPaths.Sample("session_basic-el.o"), TestPaths.Sample("session_basic-eb.o"));
        Assert.Equal(0, code);
        using var several = JsonDocument.Parse(output);
        Assert.Equal(1, several.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("big", several.RootElement.GetProperty("objects")[1].GetProperty("byteOrder").GetString());
    }

    [Fact]
    public void Missing_file_exits_2_with_one_line()
    {
        var (code, output, err) = Run("dump", "does-not-exist.o");
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        AssertOneErrorLine(err, "bpffixup: error: does-not-exist.o: file at 0x0: cannot read: no such file or directory");
    }

    [Fact]
    public void Truncated_object_exits_2_with_one_line()
    {
        string path = Copy("session_basic-el.o", b => b[..1000]);
        var (code, output, err) = Run("dump", path);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"bpffixup: error: {path}: section header table at 0x", line, StringComparison.Ordinal);
        Assert.EndsWith("run past the end of the file (1000 bytes)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_elf_file_exits_2_with_one_line()
    {
        string path = Path.Combine(temp, "notes.txt");
        File.WriteAllText(path, "not an object\n");
        var (code, _, err) = Run("dump", path);
        Assert.Equal(2, code);
        AssertOneErrorLine(err, $"bpffixup: error: {path}: ELF header at 0x0: not an ELF file (bad magic)");
    }

    [Fact]
    public void X86_elf_exits_2_with_one_line()
    {
        // A minimal ELF64 LE ET_REL header for EM_X86_64 (62) with no sections.
        var bytes = new byte[64];
        "\x7f"u8.CopyTo(bytes);
        "ELF"u8.CopyTo(bytes.AsSpan(1));
        bytes[4] = 2; bytes[5] = 1; bytes[6] = 1;
        bytes[16] = 1; bytes[18] = 62; bytes[20] = 1;
        bytes[52] = 64; bytes[58] = 64;
        string path = Path.Combine(temp, "x86.o");
        File.WriteAllBytes(path, bytes);
        var (code, _, err) = Run("dump", path);
        Assert.Equal(2, code);
        AssertOneErrorLine(err, $"bpffixup: error: {path}: ELF header at 0x12: e_machine 62 is not EM_BPF (247): not a BPF object");
    }

    [Fact]
    public void Directory_exits_2_with_one_line()
    {
        var (code, _, err) = Run("dump", temp);
        Assert.Equal(2, code);
        AssertOneErrorLine(err, $"bpffixup: error: {temp}: file at 0x0: cannot read: is a directory");
    }

    [Theory]
    [InlineData("dump")]
    [InlineData("check")]
    [InlineData("check", "--kernel-btf")]
    public async Task A_fifo_input_exits_2_with_one_line_instead_of_waiting_for_a_writer(params string[] command)
    {
        string fifo = Path.Combine(temp, "p.o");
        BpfFixup.Tests.TestKit.Posix.Mkfifo(fifo);
        string[] args = command.Length == 2 ? [.. command, fifo, TestPaths.Sample("session_basic-el.o")] : [.. command, fifo];
        // Before the fix the command waited for a writer: bound the wait (WaitAsync throws TimeoutException).
        var (code, _, err) = await Task.Run(() => Run(args)).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, code);
        AssertOneErrorLine(err, $"bpffixup: error: {fifo}: file at 0x0: cannot read: not a regular file (a FIFO)");
    }

    [Theory]
    [InlineData("dump")]
    [InlineData("dump", "--json")]
    [InlineData("dump", "--fixup")]
    [InlineData("check")]
    [InlineData("check", "--format", "json")]
    [InlineData("patch", "--dry-run")]
    [InlineData("snapshot", "--check")]
    [InlineData("diff", "--fixup")]
    [InlineData("diff", "A")]
    [InlineData("check", "--kernel-btf")]
    public void A_large_file_that_is_not_elf_is_one_line_from_its_first_bytes(params string[] command)
    {
        // Before, every command read the 1.9 GB whole (1.9 GB of memory) to say "not an ELF file".
        string zeros = Path.Combine(temp, "zeros.o");
        using (var f = File.Create(zeros))
        {
            f.SetLength(1_900_000_000); // sparse
        }

        string sample = TestPaths.Sample("session_basic-el.o");
        string[] args = command switch
        {
            ["diff", "A"] => ["diff", sample, zeros],
            ["check", "--kernel-btf"] => ["check", "--kernel-btf", zeros, sample],
            ["snapshot", ..] => [.. command, "--dir", Path.Combine(temp, "snap"), zeros],
            _ => [.. command, zeros],
        };
        long before = GC.GetAllocatedBytesForCurrentThread();
        var (code, _, err) = Run(args);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(2, code);
        AssertOneErrorLine(err, command[^1] == "--kernel-btf"
            ? $"bpffixup: error: {zeros}: BTF header at 0x0: bad magic 0x0000 (expected 0xeb9f in the object's byte order)"
            : $"bpffixup: error: {zeros}: ELF header at 0x0: not an ELF file (bad magic)");
        Assert.True(allocated < 64 << 20, $"{allocated} bytes allocated");
    }

    [Theory]
    [InlineData("dump")]
    [InlineData("dump", "--syntax", "bogus", "x.o")]
    [InlineData("dump", "--frobnicate", "x.o")]
    [InlineData("frobnicate")]
    [InlineData]
    public void Usage_errors_exit_2(params string[] args)
    {
        var (code, output, err) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith("bpffixup: error: ", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Filter_matching_nothing_exits_2()
    {
        var (code, _, err) = Run("dump", "--section", "nope", TestPaths.Sample("session_basic-el.o"));
        Assert.Equal(2, code);
        AssertOneErrorLine(err, "bpffixup: error: no code section 'nope'");
    }

    [Fact]
    public void Help_exits_0()
    {
        var (code, output, _) = Run("dump", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--syntax <llvm|xlated>", output, StringComparison.Ordinal);
    }
}
