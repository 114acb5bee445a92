// SPDX-License-Identifier: MIT
namespace BpfFixup.IO;

/// <summary>
/// A write to a standard stream (stdout or stderr) failed: closed, full disk, broken pipe. Thrown by
/// <see cref="DescriptorStream"/> so that the caller can end the run with one line, or quietly for a broken pipe.
/// </summary>
public sealed class StreamWriteException : IOException
{
    /// <summary>Creates the exception for <paramref name="streamName"/> failing with <paramref name="errno"/>.</summary>
    public StreamWriteException(string streamName, int errno)
        : base($"cannot write to {streamName}: {IoErrors.Strerror(errno)}", errno)
    {
        StreamName = streamName;
        Errno = errno;
    }

    /// <summary>Creates an exception with a message only.</summary>
    public StreamWriteException()
        : this("stdout", IO.Errno.IoError)
    {
    }

    /// <summary>Creates an exception with a message only.</summary>
    public StreamWriteException(string message)
        : base(message)
    {
        StreamName = "stdout";
    }

    /// <summary>Creates an exception with a message and the failure behind it.</summary>
    public StreamWriteException(string message, Exception inner)
        : base(message, inner)
    {
        StreamName = "stdout";
        Errno = inner is null ? 0 : IoErrors.ErrnoOf(inner) ?? 0;
    }

    private StreamWriteException(string streamName, Exception inner, string message)
        : base(message, inner)
    {
        StreamName = streamName;
        Errno = IoErrors.ErrnoOf(inner) ?? 0;
    }

    /// <summary>The exception for a .NET failure <paramref name="inner"/> on <paramref name="streamName"/>.</summary>
    public static StreamWriteException From(string streamName, Exception inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return new StreamWriteException(streamName, inner, $"cannot write to {streamName}: {IoErrors.Describe(inner, streamName)}");
    }

    /// <summary><c>stdout</c> or <c>stderr</c>.</summary>
    public string StreamName { get; }

    /// <summary>The errno of the failed write (0 when unknown).</summary>
    public int Errno { get; }

    /// <summary>True when the reader of a pipe went away (EPIPE): the quiet case, exit 141 as after SIGPIPE.</summary>
    public bool IsBrokenPipe => Errno == IO.Errno.BrokenPipe;
}
