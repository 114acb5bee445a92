// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;

namespace BpfFixup.IO;

/// <summary>
/// What <c>stat</c>/<c>lstat</c> say about a path: its type and identity (device and inode). Two paths name the
/// same file exactly when their identities are equal (hard links and symlinks included). On systems other than
/// Linux, the identity falls back to the fully resolved path and the type to what .NET can tell.
/// </summary>
public readonly record struct FileStatus(FileKind Kind, ulong Device, ulong Inode, string? ResolvedPath)
{
    /// <summary>Status of <paramref name="path"/>, following symlinks when <paramref name="followLinks"/> (stat) or not (lstat).</summary>
    /// <returns>The status; <see cref="FileKind.Missing"/> when nothing is there (or a link's target is missing).</returns>
    /// <exception cref="IOException">The path cannot be examined (permission, loop, name too long); HResult is the errno.</exception>
    public static FileStatus Of(string path, bool followLinks)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!OperatingSystem.IsLinux())
        {
            return Portable(path, followLinks);
        }

        var buffer = new byte[NativeMethods.StatxSize];
        int flags = followLinks ? 0 : NativeMethods.AtSymlinkNoFollow;
        if (NativeMethods.Statx(NativeMethods.AtFdCwd, path, flags, NativeMethods.StatxMask, buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is Errno.NoEntry or Errno.NotDirectory)
            {
                return new FileStatus(FileKind.Missing, 0, 0, null);
            }

            throw IoErrors.FromErrno(errno);
        }

        return FromStatx(buffer);
    }

    /// <summary>Status of an open descriptor (fstat); null when it is not open (EBADF). Linux only.</summary>
    public static FileStatus? OfDescriptor(int fd)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = new byte[NativeMethods.StatxSize];
        if (NativeMethods.Statx(fd, string.Empty, NativeMethods.AtEmptyPath, NativeMethods.StatxMask, buffer) != 0)
        {
            return null;
        }

        return FromStatx(buffer);
    }

    /// <summary>True when this and <paramref name="other"/> are the same existing file.</summary>
    public bool SameFileAs(FileStatus other) =>
        Kind != FileKind.Missing && other.Kind != FileKind.Missing &&
        (ResolvedPath is null ? Device == other.Device && Inode == other.Inode : string.Equals(ResolvedPath, other.ResolvedPath, StringComparison.Ordinal));

    private static FileStatus FromStatx(byte[] buffer)
    {
        // struct statx, include/uapi/linux/stat.h: the S_IFMT bits of stx_mode, stx_ino, stx_dev_major/minor.
        // The fields are in the machine's byte order.
        var span = buffer.AsSpan();
        int mode = MemoryMarshal.Read<ushort>(span[NativeMethods.StatxModeOffset..]) & 0xF000;
        ulong ino = MemoryMarshal.Read<ulong>(span[NativeMethods.StatxInoOffset..]);
        ulong dev = ((ulong)MemoryMarshal.Read<uint>(span[NativeMethods.StatxDevMajorOffset..]) << 32) | MemoryMarshal.Read<uint>(span[(NativeMethods.StatxDevMajorOffset + 4)..]);
        var kind = mode switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
        return new FileStatus(kind, dev, ino, null);
    }

    private static FileStatus Portable(string path, bool followLinks)
    {
        FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        if (!info.Exists && info.LinkTarget is null)
        {
            return new FileStatus(FileKind.Missing, 0, 0, null);
        }

        if (!followLinks && info.LinkTarget is not null)
        {
            return new FileStatus(FileKind.SymbolicLink, 0, 0, Path.GetFullPath(path));
        }

        var target = info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true);
        if (target is null || !target.Exists)
        {
            return new FileStatus(FileKind.Missing, 0, 0, null);
        }

        return new FileStatus(target is DirectoryInfo ? FileKind.Directory : FileKind.Regular, 0, 0, Path.GetFullPath(target.FullName));
    }
}
