// SPDX-License-Identifier: MIT
using System.Diagnostics;

namespace BpfFixup.Tests.Kernel;

/// <summary>The kernel tier's tests share one boot: this collection's fixture makes the record once per test run.</summary>
[CollectionDefinition(Name)]
public sealed class KernelCollection : ICollectionFixture<KernelRecordFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "kernel";
}

/// <summary>
/// Boots the guest once (tests/kernel/run.sh over every committed sample) and reads the record, or reads the record
/// named by BPFFIXUP_KERNEL_RECORD. The record is written to the test run's output directory (kernel-record/ next to
/// the test assembly), never into the repository.
/// </summary>
public sealed class KernelRecordFixture
{
    private readonly Lazy<KernelRecord> record = new(Make);

    /// <summary>The record; the first access boots the guest, a failure fails every test that asks.</summary>
    public KernelRecord Record => record.Value;

    private static KernelRecord Make()
    {
        if (KernelTier.MissingPrerequisite() is { } missing)
        {
            throw new InvalidOperationException($"kernel tier: {missing}, and {KernelTier.RequireVariable}=1 requires the tier to run");
        }

        if (Environment.GetEnvironmentVariable(KernelTier.RecordVariable) is { Length: > 0 } given)
        {
            return KernelRecord.Read(given);
        }

        string outDir = Path.Combine(AppContext.BaseDirectory, "kernel-record");
        // One retry of the harness itself (boot, loader exit status, reading the record): a guest under heavy host
        // load has failed once in many runs without a trace we could keep. A second failure fails the tier with both
        // messages; a retried run says so in kernel-record/retried.txt. The comparisons are never retried: they read
        // one record, and a disagreement is deterministic.
        string? firstFailure = null;
        for (int attempt = 1; ; attempt++)
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }

            try
            {
                var made = RunHarness(outDir);
                if (firstFailure is not null)
                {
                    File.WriteAllText(Path.Combine(outDir, "retried.txt"), firstFailure + "\n");
                }

                return made;
            }
            catch (Exception e) when (attempt == 1 && e is InvalidOperationException or TimeoutException or Xunit.Sdk.XunitException or IOException)
            {
                firstFailure = $"attempt 1 failed: {e.GetType().Name}: {e.Message}";
            }
            catch (Exception e) when (firstFailure is not null)
            {
                throw new InvalidOperationException($"{firstFailure}\nattempt 2 failed: {e.GetType().Name}: {e.Message}", e);
            }
        }
    }

    private static KernelRecord RunHarness(string outDir)
    {
        var info = new ProcessStartInfo(Path.Combine(KernelTier.HarnessDirectory, "run.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(outDir);
        foreach (string sample in TestPaths.AllSamples())
        {
            info.ArgumentList.Add(sample);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start tests/kernel/run.sh");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // run.sh bounds qemu itself (120 s + 60 s per object by default); this is the outer bound.
        var limit = TimeSpan.FromSeconds(300 + (90 * TestPaths.AllSamples().Count));
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"tests/kernel/run.sh did not finish within {limit.TotalSeconds} s");
        }

        process.WaitForExit();
        string output = stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tests/kernel/run.sh exited with {process.ExitCode}:\n{output}");
        }

        return KernelRecord.Read(outDir);
    }
}
