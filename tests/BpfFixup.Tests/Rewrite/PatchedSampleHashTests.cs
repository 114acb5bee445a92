// SPDX-License-Identifier: MIT
using System.Security.Cryptography;
using BpfFixup.Rewrite;

namespace BpfFixup.Tests.Rewrite;

/// <summary>
/// The patched output of every sample, for every ABI and with and without <c>--keep-debug</c>, is pinned by its
/// SHA-256 in TestData/Rewrite/patched-sha256.txt (taken with the CLI before the writer's layout was bounded):
/// hardening the reader, the analysis and the writer against hostile input must not change a real object's output.
/// </summary>
public class PatchedSampleHashTests
{
    public static TheoryData<string, string, bool, string> Pins()
    {
        var data = new TheoryData<string, string, bool, string>();
        foreach (var line in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "Rewrite", "patched-sha256.txt")))
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            var f = line.Split(' ');
            data.Add(f[0], f[1], f[2] == "yes", f[3]);
        }

        return data;
    }

    [Fact]
    public void Every_sample_is_pinned()
    {
        var pinned = Pins().Select(row => (string)row[0]).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(TestPaths.AllSamples().Select(Path.GetFileName), pinned);
    }

    [Theory]
    [MemberData(nameof(Pins))]
    public void Patched_output_is_byte_identical_to_the_pinned_one(string sample, string abi, bool keepDebug, string expected)
    {
        var options = new RewriteOptions { Abi = KernelAbi.Find(abi)!, KeepDebug = keepDebug };
        var outcome = FixupPipeline.Run(File.ReadAllBytes(TestPaths.Sample(sample)), sample, options);
        var output = outcome.Rewrite?.Output;
        string actual = output is null ? "rejected" : Convert.ToHexStringLower(SHA256.HashData(output));
        Assert.Equal(expected, actual);
    }

    /// <summary>
    /// Without listings (<c>patch</c> with no <c>--diff</c> or <c>--report</c>) the output is the same bytes, and neither
    /// the inline sites nor the old-to-new map is kept; with them (the default) a changed object has both.
    /// </summary>
    [Theory]
    [MemberData(nameof(Pins))]
    public void Patched_output_without_listings_is_the_same_and_keeps_no_map(string sample, string abi, bool keepDebug, string expected)
    {
        var bytes = File.ReadAllBytes(TestPaths.Sample(sample));
        var options = new RewriteOptions { Abi = KernelAbi.Find(abi)!, KeepDebug = keepDebug, Listings = false };
        var bare = FixupPipeline.Run(bytes, sample, options).Rewrite;
        string actual = bare?.Output is not { } output ? "rejected" : Convert.ToHexStringLower(SHA256.HashData(output));
        Assert.Equal(expected, actual);
        Assert.Empty(bare?.Inlined ?? []);
        Assert.Null(bare?.Map);

        var listed = FixupPipeline.Run(bytes, sample, options with { Listings = true }).Rewrite;
        if (listed is { Output: not null, Summary.Unchanged: false })
        {
            Assert.NotNull(listed.Map);
            Assert.Equal(listed.Summary.IsReturnInlined + listed.Summary.CookieInlined, listed.Inlined.Count);
        }
    }
}
