// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Rewrite;

namespace BpfFixup.Tests.Analysis;

/// <summary>
/// The CO-RE samples (samples/obj/core) call no session kfunc: check finds no call site and no error, and patch
/// writes them back byte-identical, CO-RE relocations and all.
/// </summary>
public class CoreSampleTests
{
    [Theory]
    [MemberData(nameof(TestPaths.CoreSampleNames), MemberType = typeof(TestPaths))]
    public void Core_sample_has_no_session_site_and_patches_to_itself(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.SampleObjects, "core", name));
        var analysis = ObjectAnalyzer.Analyze(TestHelpers.Load(bytes, name));
        Assert.False(analysis.HasErrors, string.Join("\n", analysis.Diagnostics));
        Assert.Empty(analysis.Verdicts);
        Assert.NotEmpty(analysis.Programs);
        Assert.NotNull(analysis.Object.BtfExt?.CoreRelo);
        var result = ObjectRewriter.Rewrite(analysis, new RewriteOptions());
        Assert.Equal(bytes, result.Output);
        Assert.True(result.Summary!.Unchanged);
    }
}
