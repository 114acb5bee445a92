// SPDX-License-Identifier: MIT
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Cli;

/// <summary>Writes that fail for real (a read-only file system): one line per file, in strerror's words, no temporary path.</summary>
public sealed class WriteFailureTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private (int Code, string Out, string Err) OnReadOnlyMount(string command)
    {
        Directory.CreateDirectory(dir.File("ro"));
        if (!File.Exists(dir.File("x.o")))
        {
            CliRun.CopySample(dir, "session_basic-el.o", "x.o");
        }

        return ToolProcess.Run(dir.Path, ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o ro none ro && \"$B\" " + command]);
    }

    [ReadOnlyMountFact]
    public void Snapshot_files_that_cannot_be_written_are_one_line_each_on_stderr_only()
    {
        var r = OnReadOnlyMount("snapshot x.o --dir ro --accept");
        Assert.Equal(2, r.Code);
        Assert.Equal(
            [.. new[] { "fsync_count", "open_fail", "unlink_entry", "unlink_exit", "unlink_lat" }.Select(p => $"bpffixup: error: ro/x.{p}.verified.txt: cannot write: read-only file system")],
            r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("5 snapshot(s) in ro: 0 matched, 5 failed, 0 dangling (accept mode)\n", r.Out);
    }

    [ReadOnlyMountFact]
    public void A_patched_object_or_report_that_cannot_be_written_is_one_line_and_exit_2()
    {
        var r = OnReadOnlyMount("patch x.o -o ro/out.o");
        Assert.Equal((2, string.Empty, "bpffixup: error: ro/out.o: cannot write: read-only file system\n"), r);
        r = OnReadOnlyMount("patch x.o --dry-run --report ro/r.json");
        Assert.Equal(2, r.Code);
        Assert.EndsWith("bpffixup: error: ro/r.json: cannot write: read-only file system\n", r.Err, StringComparison.Ordinal);
    }
}
