// SPDX-License-Identifier: MIT
namespace BpfFixup.IO;

/// <summary>
/// A write-only stream over file descriptor 1 or 2 that calls <c>write(2)</c> itself. System.Console's streams
/// are avoided on purpose: on a terminal their first write sends the terminfo keypad_xmit sequence
/// (<c>ESC[?1h ESC=</c>) and nothing resets it, and they drop EPIPE silently. Every failure throws
/// <see cref="StreamWriteException"/> with the errno. Elsewhere than Linux, the Console stream is used.
/// </summary>
public sealed class DescriptorStream : Stream
{
    private readonly int fd;
    private readonly string name;
    private readonly Stream? fallback;
    private bool closed;

    private DescriptorStream(int fd, string name, bool closed, Stream? fallback)
    {
        this.fd = fd;
        this.name = name;
        this.closed = closed;
        this.fallback = fallback;
    }

    /// <summary>Standard output (fd 1).</summary>
    public static DescriptorStream StandardOutput() => Open(1, "stdout");

    /// <summary>Standard error (fd 2).</summary>
    public static DescriptorStream StandardError() => Open(2, "stderr");

    /// <summary>A stream over an open descriptor, named <paramref name="name"/> in errors (what tests use).</summary>
    public static DescriptorStream ForDescriptor(int fd, string name) => new(fd, name, false, null);

    /// <summary>Whether the descriptor is a terminal (<c>isatty(3)</c>); elsewhere than Linux, whether the console is not redirected.</summary>
    public bool IsTerminal => !closed && (fallback is null
        ? Terminal.IsTerminal(fd)
        : fd == 1 ? !Console.IsOutputRedirected : !Console.IsErrorRedirected);

    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc/>
    public override void Flush() => fallback?.Flush();

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        if (closed)
        {
            throw new StreamWriteException(name, Errno.BadDescriptor);
        }

        if (fallback is not null)
        {
            try
            {
                fallback.Write(buffer);
            }
            catch (IOException e)
            {
                throw StreamWriteException.From(name, e);
            }

            return;
        }

        fixed (byte* start = buffer)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                nint n = NativeMethods.Write(fd, start + done, buffer.Length - done);
                if (n < 0)
                {
                    int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                    if (errno == Errno.Interrupted)
                    {
                        continue;
                    }

                    throw new StreamWriteException(name, errno);
                }

                done += (int)n;
            }
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        closed = true;
        base.Dispose(disposing);
    }

    private static DescriptorStream Open(int fd, string name)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new DescriptorStream(fd, name, false, fd == 1 ? Console.OpenStandardOutput() : Console.OpenStandardError());
        }

        // A standard descriptor is usable only when it was inherited: a shell hands it over without FD_CLOEXEC (exec
        // would have closed it otherwise). One the shell closed (`>&-`) is either free, or already reused by the
        // runtime for its own files and pipes (always O_CLOEXEC): with `<&- >&-` its signal pipe is fd 0 and 1, and
        // output "to stdout" would go into it. Both count as closed: writes fail with EBADF.
        int flags = NativeMethods.Fcntl(fd, NativeMethods.FGetFd);
        bool closed = flags < 0 || (flags & NativeMethods.FdCloexec) != 0;

        // A free slot must stay taken, or the next open() would get its number and our own files would receive
        // what is written to it. open() returns the lowest free number: with stdin closed too the first /dev/null
        // lands on 0, so go on until the slot is taken (at most fd + 1 opens).
        for (int i = 0; flags < 0 && i <= fd && NativeMethods.Fcntl(fd, NativeMethods.FGetFd) < 0; i++)
        {
            Placeholders.Add(File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Read));
        }

        return new DescriptorStream(fd, name, closed, null);
    }

    private static readonly List<Microsoft.Win32.SafeHandles.SafeFileHandle> Placeholders = [];
}
