// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;

namespace BpfFixup.IO;

/// <summary>
/// The few libc calls .NET has no API for: <c>statx(2)</c> (device and inode numbers, the file type without
/// following a link), <c>fcntl(2)</c> F_GETFD (whether a standard descriptor was inherited), <c>isatty(3)</c> (whether stderr is a terminal, for progress) and <c>write(2)</c> on a raw descriptor (stdout without System.Console, which writes the
/// terminal's keypad sequence on first use). Linux only; callers check <see cref="OperatingSystem.IsLinux"/>.
/// <c>struct statx</c> has one layout on every architecture (include/uapi/linux/stat.h), unlike <c>struct stat</c>.
/// </summary>
internal static partial class NativeMethods
{
    /// <summary>AT_FDCWD (include/uapi/linux/fcntl.h).</summary>
    public const int AtFdCwd = -100;

    /// <summary>AT_SYMLINK_NOFOLLOW: lstat semantics.</summary>
    public const int AtSymlinkNoFollow = 0x100;

    /// <summary>AT_EMPTY_PATH: stat the descriptor itself (fstat semantics).</summary>
    public const int AtEmptyPath = 0x1000;

    /// <summary>STATX_TYPE | STATX_MODE | STATX_INO.</summary>
    public const uint StatxMask = 0x1 | 0x2 | 0x100;

    /// <summary>Size of <c>struct statx</c>.</summary>
    public const int StatxSize = 256;

    /// <summary>Offset of <c>stx_mode</c> (__u16).</summary>
    public const int StatxModeOffset = 28;

    /// <summary>Offset of <c>stx_ino</c> (__u64).</summary>
    public const int StatxInoOffset = 32;

    /// <summary>Offset of <c>stx_dev_major</c> (__u32), followed by <c>stx_dev_minor</c>.</summary>
    public const int StatxDevMajorOffset = 136;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int Statx(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);

    /// <summary>F_GETFD (include/uapi/asm-generic/fcntl.h).</summary>
    public const int FGetFd = 1;

    /// <summary>FD_CLOEXEC.</summary>
    public const int FdCloexec = 1;

    /// <summary><c>fcntl(fd, F_GETFD)</c>: the descriptor flags, or -1 (EBADF when the descriptor is not open).</summary>
    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int Fcntl(int fd, int cmd);

    /// <summary><c>isatty(fd)</c>: 1 when the descriptor is a terminal.</summary>
    [LibraryImport("libc", EntryPoint = "isatty")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int IsATty(int fd);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static unsafe partial nint Write(int fd, byte* buffer, nint count);
}
