// SPDX-License-Identifier: MIT
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Cli;

/// <summary>Every command that analyses meets a 10,000-deep call chain, or programs sharing too much code, with one error, not a crash (issue 8).</summary>
public class HostileInputTests
{
    /// <summary>Every command that runs the fixup, as it is given an object (SNAP: a snapshot directory).</summary>
    public static TheoryData<string[]> FixupCommands => new()
    {
        new[] { "check" },
        new[] { "check", "--format", "json" },
        new[] { "check", "--format", "sarif" },
        new[] { "patch", "--dry-run" },
        new[] { "dump", "--fixup" },
        new[] { "diff", "--fixup" },
        new[] { "snapshot", "--dir", "SNAP" },
    };

    [Theory]
    [MemberData(nameof(FixupCommands))]
    public void A_10000_deep_call_chain_is_the_kernels_frame_limit(string[] command)
    {
        var r = RunOn(HostileObjects.CallChain10000, command);
        Assert.NotEqual(0, r.Code);
        Assert.Contains("the call stack of 9 frames is too deep", r.Out + r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", r.Out + r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dump")]
    [InlineData("dump", "--json")]
    public void Listing_a_10000_deep_call_chain_works(params string[] command)
    {
        var r = RunOn(HostileObjects.CallChain10000, command);
        Assert.Equal(0, r.Code);
        Assert.Contains("f9999", r.Out, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FixupCommands))]
    public void Programs_that_share_more_code_than_the_budget_are_bad_input(string[] command)
    {
        // 400 programs reaching one subprogram of 2,000 kfunc calls: 800,000 verdicts had they all been followed.
        var r = RunOn(HostileObjects.SharedSubprogram(400, 2_000), command);
        Assert.Equal(2, r.Code);
        Assert.Contains("fsession/f332", r.Out + r.Err, StringComparison.Ordinal);
        Assert.Contains("p332", r.Out + r.Err, StringComparison.Ordinal);
        Assert.Contains("more than bpffixup follows in one object", r.Out + r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", r.Out + r.Err, StringComparison.Ordinal);
        Assert.True(r.Out.Length + r.Err.Length < 8192, r.Out.Length + " + " + r.Err.Length + " characters");
        if (command is ["check"])
        {
            // The summary counts the object's programs, none of which was followed.
            Assert.Contains("hostile.o: 400 program(s), 2000 session call site(s), ABI linux-7.0, REJECTED", r.Out, StringComparison.Ordinal);
        }
    }

    private static CliResult RunOn(byte[] obj, string[] command)
    {
        using var dir = new TempDirectory();
        string path = dir.File("hostile.o");
        File.WriteAllBytes(path, obj);
        return CliRun.Run([.. command.Select(a => a == "SNAP" ? dir.File("snap") : a), path]);
    }
}
