// SPDX-License-Identifier: MIT
namespace BpfFixup.IO;

/// <summary>The type of a file system entry (the S_IFMT bits of its mode, inode(7)).</summary>
public enum FileKind
{
    /// <summary>Nothing exists at the path.</summary>
    Missing,

    /// <summary>S_IFREG.</summary>
    Regular,

    /// <summary>S_IFDIR.</summary>
    Directory,

    /// <summary>S_IFLNK (only seen without following links).</summary>
    SymbolicLink,

    /// <summary>S_IFCHR.</summary>
    CharacterDevice,

    /// <summary>S_IFBLK.</summary>
    BlockDevice,

    /// <summary>S_IFIFO.</summary>
    Fifo,

    /// <summary>S_IFSOCK.</summary>
    Socket,

    /// <summary>A type this enumeration does not name.</summary>
    Other,
}
