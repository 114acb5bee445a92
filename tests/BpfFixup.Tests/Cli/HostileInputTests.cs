// SPDX-License-Identifier: MIT
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Cli;

/// <summary>Every command that analyses meets a 10,000-deep call chain, or programs sharing too much code, with one error, not a crash (issue 8).</summary>
public class HostileInputTests
{
    [Theory]
    [InlineData("check")]
    [InlineData("check", "--format", "json")]
    [InlineData("check", "--format", "sarif")]
    [InlineData("patch", "--dry-run")]
    [InlineData("dump", "--fixup")]
    [InlineData("diff", "--fixup")]
    [InlineData("snapshot", "--dir", "SNAP")]
    public void A_10000_deep_call_chain_is_the_kernels_frame_limit(params string[] command)
    {
        using var dir = new TempDirectory();
        string path = dir.File("chain.o");
        File.WriteAllBytes(path, HostileObjects.CallChain10000);
        var args = command.Select(a => a == "SNAP" ? dir.File("snap") : a).Append(path).ToArray();
        var r = CliRun.Run(args);
        Assert.NotEqual(0, r.Code);
        Assert.Contains("the call stack of 9 frames is too deep", r.Out + r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", r.Out + r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dump")]
    [InlineData("dump", "--json")]
    public void Listing_a_10000_deep_call_chain_works(params string[] command)
    {
        using var dir = new TempDirectory();
        string path = dir.File("chain.o");
        File.WriteAllBytes(path, HostileObjects.CallChain10000);
        var r = CliRun.Run([.. command, path]);
        Assert.Equal(0, r.Code);
        Assert.Contains("f9999", r.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("check", "--format", "json")]
    [InlineData("check", "--format", "sarif")]
    [InlineData("patch", "--dry-run")]
    [InlineData("dump", "--fixup")]
    [InlineData("diff", "--fixup")]
    [InlineData("snapshot", "--dir", "SNAP")]
    public void Programs_that_share_more_code_than_the_budget_are_bad_input(params string[] command)
    {
        // 400 programs reaching one subprogram of 2,000 kfunc calls: 800,000 verdicts had they all been followed.
        using var dir = new TempDirectory();
        string path = dir.File("shared.o");
        File.WriteAllBytes(path, HostileObjects.SharedSubprogram(400, 2_000));
        var args = command.Select(a => a == "SNAP" ? dir.File("snap") : a).Append(path).ToArray();
        var r = CliRun.Run(args);
        Assert.Equal(2, r.Code);
        Assert.Contains("fsession/f332", r.Out + r.Err, StringComparison.Ordinal);
        Assert.Contains("p332", r.Out + r.Err, StringComparison.Ordinal);
        Assert.Contains("more than bpffixup follows in one object", r.Out + r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", r.Out + r.Err, StringComparison.Ordinal);
        Assert.True(r.Out.Length + r.Err.Length < 8192, r.Out.Length + " + " + r.Err.Length + " characters");
    }
}
