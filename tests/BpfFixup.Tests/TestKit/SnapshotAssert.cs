// SPDX-License-Identifier: MIT
using System.Runtime.CompilerServices;
using BpfFixup.Snapshots;

namespace BpfFixup.Tests.TestKit;

/// <summary>
/// Mini-Verify for the product's own tests, on top of <see cref="SnapshotRunner"/> (Check mode):
/// the snapshot is <c>Snapshots/{Class}.{Method}_{parameters}.verified.txt</c> beside the calling test
/// file (Class = the file name, one class per file). A mismatch writes <c>.received.txt</c> and fails
/// with the unified diff; <c>BPFFIXUP_ACCEPT=1</c> accepts, except when <c>CI</c> is set
/// (<c>BPFFIXUP_ACCEPT=force</c> accepts there too).
/// </summary>
internal static class SnapshotAssert
{
    /// <summary>Compares <paramref name="actual"/> with the verified snapshot of the calling test.</summary>
    public static void Match(string actual, [CallerFilePath] string file = "", [CallerMemberName] string method = "", string? parameters = null)
    {
        var result = Run(actual, file, method, parameters, Environment.GetEnvironmentVariable);
        if (!result.Succeeded)
        {
            Assert.Fail("Snapshot mismatch in " + Path.Combine(SnapshotDirectory(file), result.Entries[0].FileName) + "\n"
                + "Accept with " + SnapshotModeResolver.AcceptVariable + "=1 (force on CI).\n" + result.Describe());
        }
    }

    /// <summary>The run behind <see cref="Match"/>, with an injectable environment (for the helper's own tests).</summary>
    internal static SnapshotRunResult Run(string actual, string callerFile, string method, string? parameters, Func<string, string?> environment)
    {
        var name = FileName(Path.GetFileNameWithoutExtension(ResolveSourcePath(callerFile, TestPaths.RepoRoot)), method, parameters);
        return SnapshotRunner.Run(
            SnapshotDirectory(callerFile),
            [new SnapshotEntry(name, name, actual)],
            new SnapshotRunOptions
            {
                Mode = SnapshotMode.Check,
                Environment = environment,
                ObjectStems = [], // test snapshots are not per object; dangling detection does not apply
            });
    }

    /// <summary>Verify's naming: <c>{Class}.{Method}_{parameters}.verified.txt</c>, parts sanitised.</summary>
    internal static string FileName(string className, string method, string? parameters)
        => SnapshotNaming.SanitizeStem(className) + "." + SnapshotNaming.SanitizeStem(method)
            + (parameters is null ? string.Empty : "_" + SnapshotNaming.SanitizeStem(parameters))
            + SnapshotNaming.VerifiedSuffix;

    /// <summary>
    /// The caller's source file on disk. Deterministic CI builds (<c>ContinuousIntegrationBuild</c>) map
    /// source paths to <c>/_/</c>, so such a path is resolved against the repository root.
    /// </summary>
    internal static string ResolveSourcePath(string callerFile, string repoRoot)
    {
        if (callerFile.StartsWith("/_/", StringComparison.Ordinal) || callerFile.StartsWith("\\_\\", StringComparison.Ordinal))
        {
            return Path.Combine(repoRoot, callerFile[3..].Replace('\\', '/'));
        }

        return callerFile;
    }

    private static string SnapshotDirectory(string callerFile)
        => Path.Combine(Path.GetDirectoryName(ResolveSourcePath(callerFile, TestPaths.RepoRoot))!, "Snapshots");
}
