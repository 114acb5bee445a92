// SPDX-License-Identifier: MIT
namespace BpfFixup.IO;

/// <summary>The Linux errno values the tool acts on (include/uapi/asm-generic/errno-base.h).</summary>
public static class Errno
{
    /// <summary>EPERM.</summary>
    public const int NotPermitted = 1;

    /// <summary>ENOENT.</summary>
    public const int NoEntry = 2;

    /// <summary>EINTR.</summary>
    public const int Interrupted = 4;

    /// <summary>EIO.</summary>
    public const int IoError = 5;

    /// <summary>EBADF.</summary>
    public const int BadDescriptor = 9;

    /// <summary>EAGAIN.</summary>
    public const int TryAgain = 11;

    /// <summary>EACCES.</summary>
    public const int AccessDenied = 13;

    /// <summary>EEXIST.</summary>
    public const int Exists = 17;

    /// <summary>ENOTDIR.</summary>
    public const int NotDirectory = 20;

    /// <summary>EISDIR.</summary>
    public const int IsDirectory = 21;

    /// <summary>EFBIG.</summary>
    public const int FileTooLarge = 27;

    /// <summary>ENOSPC.</summary>
    public const int NoSpace = 28;

    /// <summary>EROFS.</summary>
    public const int ReadOnlyFileSystem = 30;

    /// <summary>EPIPE: the reading end of a pipe is closed.</summary>
    public const int BrokenPipe = 32;

    /// <summary>ENAMETOOLONG.</summary>
    public const int NameTooLong = 36;

    /// <summary>ELOOP.</summary>
    public const int TooManyLinks = 40;
}
