// SPDX-License-Identifier: MIT
using System.Diagnostics;
using BpfFixup.Tests.Interop;

namespace BpfFixup.Tests.TestKit;

/// <summary>
/// A fact that mounts a read-only tmpfs in a private mount namespace (<c>unshare -rm</c>, no privileges needed where
/// unprivileged user namespaces are allowed) to make real writes fail with EROFS. Skipped where that is not possible,
/// unless BPFFIXUP_REQUIRE_INTEROP=1.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ReadOnlyMountFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Available = new(() =>
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("unshare", ["-rm", "true"]) { RedirectStandardError = true })!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    /// <summary>Skips the test when no private read-only mount can be made.</summary>
    public ReadOnlyMountFactAttribute()
    {
        if (!ExternalTool.InteropRequired && !Available.Value)
        {
            Skip = "unshare -rm is not available (no unprivileged user namespaces)";
        }
    }
}
