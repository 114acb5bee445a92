// SPDX-License-Identifier: MIT
using System.Security.Cryptography;
using System.Text;
using BpfFixup.Snapshots;

namespace BpfFixup.Tests.Snapshots;

/// <summary>The labels' own SHA-256 is the standard one: FIPS 180-4's examples, and the platform's at every length around the block edges.</summary>
public class LabelDigestTests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void It_gives_the_FIPS_180_4_digests(string message, string expected)
    {
        var digest = new byte[LabelDigest.Size];
        LabelDigest.Hash(Encoding.ASCII.GetBytes(message), digest);
        Assert.Equal(expected, Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void It_agrees_with_the_platform_at_every_length_up_to_three_blocks()
    {
        var random = new Random(11);
        var digest = new byte[LabelDigest.Size];
        for (int length = 0; length <= 200; length++)
        {
            var message = new byte[length];
            random.NextBytes(message);
            LabelDigest.Hash(message, digest);
            Assert.Equal(SHA256.HashData(message), digest);
        }
    }
}
