// SPDX-License-Identifier: MIT
namespace BpfFixup.Fuzz;

/// <summary>Runs saved inputs through <see cref="FuzzTarget"/> outside afl-fuzz.</summary>
internal static class Replay
{
    /// <summary>Replays every file named, and every file in every directory named; 1 when any input failed.</summary>
    public static int Files(IEnumerable<string> paths, TextWriter output)
    {
        InstallTraceBuffer();
        int failed = 0;
        int count = 0;
        foreach (var path in paths)
        {
            IEnumerable<string> files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path).Where(f => !Path.GetFileName(f).StartsWith('.') && Path.GetFileName(f) != "README.txt").Order(StringComparer.Ordinal)
                : [path];
            foreach (var file in files)
            {
                count++;
                try
                {
                    FuzzTarget.Run(FuzzInput.Read(file));
                }
#pragma warning disable CA1031 // Every escaping exception is a finding to print.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failed++;
                    output.Write($"{file}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}\n");
                }
            }
        }

        output.Write($"replayed {count} input(s): {failed} failed\n");
        return failed == 0 ? 0 : 1;
    }

    // An instrumented BpfFixup.Core.dll writes every branch to the map afl-fuzz shares; outside afl-fuzz it gets
    // a private one, as SharpFuzz's own single run does, so the build fuzz/build.sh made can replay too.
    private static readonly byte[] TraceMap = GC.AllocateArray<byte>(1 << 16, pinned: true);

    private static unsafe void InstallTraceBuffer() =>
        SharpFuzz.Common.Trace.SharedMem = (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref TraceMap[0]);
}
