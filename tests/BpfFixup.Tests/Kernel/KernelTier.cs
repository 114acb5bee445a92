// SPDX-License-Identifier: MIT
using BpfFixup.Tests.Interop;

namespace BpfFixup.Tests.Kernel;

/// <summary>
/// The prerequisites of the kernel tier (tests/kernel/): QEMU on PATH and the guest that tests/kernel/prepare.sh
/// builds in the cache. Without them the tier is skipped with the reason, unless BPFFIXUP_REQUIRE_KERNEL=1, in which
/// case it runs and fails through <see cref="KernelRecordFixture"/>.
/// </summary>
public static class KernelTier
{
    /// <summary>The environment variable that turns a missing prerequisite from a skip into a failure.</summary>
    public const string RequireVariable = "BPFFIXUP_REQUIRE_KERNEL";

    /// <summary>A record made earlier (tests/kernel/run.sh OUTDIR ...) to use instead of booting the guest.</summary>
    public const string RecordVariable = "BPFFIXUP_KERNEL_RECORD";

    /// <summary>The emulator run.sh starts.</summary>
    public const string Qemu = "qemu-system-x86_64";

    /// <summary>True when <see cref="RequireVariable"/> is set to 1.</summary>
    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>The guest cache, as prepare.sh and run.sh find it.</summary>
    public static string CacheDirectory =>
        Environment.GetEnvironmentVariable("BPFFIXUP_KERNEL_CACHE") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "bpffixup-kernel");

    /// <summary>tests/kernel in the repository.</summary>
    public static string HarnessDirectory => Path.Combine(TestPaths.RepoRoot, "tests", "kernel");

    /// <summary>What is missing for the tier to run, or null when nothing is.</summary>
    public static string? MissingPrerequisite()
    {
        if (Environment.GetEnvironmentVariable(RecordVariable) is { Length: > 0 } record)
        {
            return File.Exists(Path.Combine(record, "complete")) ? null : $"{RecordVariable}={record} holds no complete record";
        }

        if (ExternalTool.FindOnPath(Qemu) is null)
        {
            return $"{Qemu} not found on PATH";
        }

        string ready = Path.Combine(CacheDirectory, "guest", "ready");
        return File.Exists(ready) ? null : $"no kernel-tier guest in {CacheDirectory} (run tests/kernel/prepare.sh)";
    }

    /// <summary>The skip reason for kernel-tier tests, or null when they run.</summary>
    internal static string? SkipReason() =>
        Required ? null : MissingPrerequisite() is { } missing ? $"kernel tier: {missing}; set {RequireVariable}=1 to fail instead" : null;
}

/// <summary>A kernel-tier fact: skipped with the missing prerequisite unless BPFFIXUP_REQUIRE_KERNEL=1.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class KernelFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> from <see cref="KernelTier.SkipReason"/>.</summary>
    public KernelFactAttribute()
    {
        if (KernelTier.SkipReason() is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>The theory form of <see cref="KernelFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class KernelTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> from <see cref="KernelTier.SkipReason"/>.</summary>
    public KernelTheoryAttribute()
    {
        if (KernelTier.SkipReason() is { } reason)
        {
            Skip = reason;
        }
    }
}
