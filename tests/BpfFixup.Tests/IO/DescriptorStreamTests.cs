// SPDX-License-Identifier: MIT
using System.IO.Pipes;
using System.Text;
using BpfFixup.IO;

namespace BpfFixup.Tests.IO;

public class DescriptorStreamTests
{
    [Fact]
    public void A_full_device_fails_the_write_with_enospc()
    {
        using var handle = File.OpenHandle("/dev/full", FileMode.Open, FileAccess.Write);
        using var stream = DescriptorStream.ForDescriptor((int)handle.DangerousGetHandle(), "stdout");
        var e = Assert.Throws<StreamWriteException>(() => stream.Write("x"u8));
        Assert.Equal((Errno.NoSpace, "stdout", false), (e.Errno, e.StreamName, e.IsBrokenPipe));
        Assert.Equal("cannot write to stdout: no space left on device", e.Message);
    }

    [Fact]
    public void A_pipe_without_reader_fails_with_epipe_which_is_the_quiet_case()
    {
        // The reading end closed: what a shell pipe to `head -1` is once head has exited.
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        server.DisposeLocalCopyOfClientHandle();

        using var stream = DescriptorStream.ForDescriptor((int)server.SafePipeHandle.DangerousGetHandle(), "stdout");
        var e = Assert.Throws<StreamWriteException>(() => stream.Write("x"u8));
        Assert.True(e.IsBrokenPipe);
    }

    [Fact]
    public void Writes_reach_the_descriptor_in_full()
    {
        string path = Path.Combine(Path.GetTempPath(), "bpffixup-fd-" + Guid.NewGuid().ToString("N"));
        try
        {
            var data = Encoding.ASCII.GetBytes(new string('x', 1 << 20));
            using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write))
            using (var stream = DescriptorStream.ForDescriptor((int)handle.DangerousGetHandle(), "stdout"))
            {
                stream.Write(data);
                stream.Write("end"u8);
            }

            Assert.Equal(data.Length + 3, new FileInfo(path).Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_closed_stream_fails_with_ebadf()
    {
        var stream = DescriptorStream.ForDescriptor(1_000_000, "stderr");
        var e = Assert.Throws<StreamWriteException>(() => stream.Write("x"u8));
        Assert.Equal("cannot write to stderr: bad file descriptor", e.Message);
    }

    [Fact]
    public void Files_pipes_and_closed_descriptors_are_not_terminals()
    {
        // A terminal is seen through script(1) in DiffCommandTests (--color=auto).
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        Assert.False(DescriptorStream.ForDescriptor((int)pipe.SafePipeHandle.DangerousGetHandle(), "stdout").IsTerminal);
        using var devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Write);
        Assert.False(DescriptorStream.ForDescriptor((int)devNull.DangerousGetHandle(), "stdout").IsTerminal);
        Assert.False(DescriptorStream.ForDescriptor(1_000_000, "stdout").IsTerminal);
    }
}
