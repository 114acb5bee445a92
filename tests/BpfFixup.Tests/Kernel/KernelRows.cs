// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;

namespace BpfFixup.Tests.Kernel;

/// <summary>
/// Theory data of the kernel tier: the programs of every sample the kernel can load, as BpfFixup sees them
/// (the record is made when the tests run, so the rows come from the samples, and each row asks the record).
/// </summary>
public static class KernelRows
{
    /// <summary>Every program of every loadable sample.</summary>
    public static TheoryData<string, string> Programs() => Rows(_ => true);

    /// <summary>Programs <c>check</c> rejects.</summary>
    public static TheoryData<string, string> Rejected() => Rows(p => !p.Run.Accepts(p.Report.Program.Name));

    /// <summary>Programs <c>check</c> accepts.</summary>
    public static TheoryData<string, string> Accepted() => Rows(p => p.Run.Accepts(p.Report.Program.Name));

    /// <summary>Accepted programs that reach a session-kfunc call.</summary>
    public static TheoryData<string, string> AcceptedWithSites() =>
        Rows(p => p.Run.Accepts(p.Report.Program.Name) && p.Report.Sites.Count > 0);

    /// <summary>Samples the kernel cannot load (known-disagreements.txt, cannot-load).</summary>
    public static TheoryData<string> CannotLoad()
    {
        var data = new TheoryData<string>();
        foreach (string f in TestPaths.AllSamples().Select(f => Path.GetFileName(f)).Where(KnownDisagreements.CannotLoad))
        {
            data.Add(f);
        }

        return data;
    }

    /// <summary>The samples the kernel can load.</summary>
    public static IEnumerable<string> LoadableSamples() =>
        TestPaths.AllSamples().Select(f => Path.GetFileName(f)).Where(n => !KnownDisagreements.CannotLoad(n));

    private static TheoryData<string, string> Rows(Func<(ProductRun Run, ProgramReport Report), bool> keep)
    {
        var data = new TheoryData<string, string>();
        foreach (string name in LoadableSamples())
        {
            var run = ProductRun.Of(name);
            foreach (var report in run.Analysis.Programs)
            {
                if (keep((run, report)))
                {
                    data.Add(name, report.Program.Name);
                }
            }
        }

        return data;
    }
}
