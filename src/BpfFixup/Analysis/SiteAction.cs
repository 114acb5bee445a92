// SPDX-License-Identifier: MIT
namespace BpfFixup.Analysis;

/// <summary>What the fixup does with a session-kfunc call site.</summary>
public enum SiteAction : byte
{
    /// <summary>Replace the call by the inline sequence (fsession programs; kernel <c>fixup_kfunc_call</c>).</summary>
    Inline,
    /// <summary>Keep the call and its relocation (kprobe.session / uprobe.session, or code no program reaches).</summary>
    Keep,
    /// <summary>The kernel would reject the program at this call.</summary>
    Reject,
}
