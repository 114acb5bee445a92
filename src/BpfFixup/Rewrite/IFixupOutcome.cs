// SPDX-License-Identifier: MIT
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>
/// What the listings and snapshots of a fixup read: the input, its rewrite, and the written object. The
/// orchestration above (<c>BpfFixup.Pipeline.FixupPipeline</c>) provides it, so the layers below never depend on it.
/// </summary>
public interface IFixupOutcome
{
    /// <summary>The loaded input, or null when it is malformed.</summary>
    BpfObject? Original { get; }

    /// <summary>The rewrite, or null when the input is malformed.</summary>
    RewriteResult? Rewrite { get; }

    /// <summary>The written object loaded again, or null when nothing was written.</summary>
    BpfObject? Patched { get; }
}
