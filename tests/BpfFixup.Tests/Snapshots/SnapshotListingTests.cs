// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Diff;
using BpfFixup.Snapshots;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Snapshots;

public sealed class SnapshotListingTests
{
    private const string Header = "# snapshot of: x.o\nprogram: p\n\n";

    private static SnapshotListing Listing(params string[] lines) => new(Header, [.. lines.Select(l => new ListingLine(l))]);

    [Fact]
    public void Text_is_the_header_then_each_line_and_an_lf()
    {
        Assert.Equal(Header + "p:\n    r0 = 0\n    exit\n", Listing("p:", "    r0 = 0", "    exit").Text());
        Assert.Equal(Header, Listing().Text());
    }

    public static TheoryData<string[]> Listings() => new()
    {
        new[] { "p:", "    r0 = 0", "    exit" },
        new[] { "p:", "    ; é → ü (x.bpf.c)", "    exit" },
        new[] { "p:", "    exit", string.Empty, string.Empty },
        new[] { string.Empty, string.Empty },
        Array.Empty<string>(),
    };

    [Theory]
    [MemberData(nameof(Listings))]
    public void Bytes_match_exactly_when_they_are_the_normalised_text(string[] lines)
    {
        var listing = Listing(lines);
        string normalised = SnapshotText.Normalize(listing.Text());
        var bytes = Encoding.UTF8.GetBytes(normalised);
        Assert.True(listing.Matches(bytes));
        Assert.Equal(normalised, SnapshotText.Decode(bytes));

        // What the text comparison decides: a final LF, a CR, a BOM; and any other byte.
        Assert.False(listing.Matches(Encoding.UTF8.GetBytes(normalised + "\n")));
        Assert.False(listing.Matches(Encoding.UTF8.GetBytes(normalised.Replace("\n", "\r\n", StringComparison.Ordinal))));
        Assert.False(listing.Matches([0xEF, 0xBB, 0xBF, .. bytes]));
        Assert.False(listing.Matches(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.False(listing.Matches([.. bytes, (byte)'x']));
        var changed = (byte[])bytes.Clone();
        changed[^1] ^= 1;
        Assert.False(listing.Matches(changed));
    }

    [Fact]
    public void A_character_that_does_not_encode_is_left_to_the_text_comparison()
    {
        var listing = Listing("p:", "    ; \ud800 (x.bpf.c)");
        // The replacement character's bytes are what a lenient encoder would write: not taken for the lone surrogate.
        Assert.False(listing.Matches(Encoding.UTF8.GetBytes(SnapshotText.Normalize(listing.Text()))));
    }

    [Fact]
    public void A_runner_given_a_listing_acts_as_given_its_text()
    {
        using var dir = new TempDirectory();
        var listing = Listing("p:", "    r0 = 0", "    exit");
        var options = new SnapshotRunOptions { Mode = SnapshotMode.Check, Environment = _ => null };
        string name = SnapshotNaming.VerifiedFileName("x.o", "p");
        Assert.Equal(listing.Text(), new SnapshotEntry("x.o:p", name, listing).Content);

        // Missing, then matched, then changed: the same outcomes, diffs and files as for the text.
        foreach (var verified in new string?[] { null, listing.Text(), "# snapshot of: x.o\nprogram: p\n\np:\n    r0 = 1\n    exit\n", "# snapshot of: x.o\r\nprogram: p\r\n\r\np:\r\n    r0 = 0\r\n    exit\r\n" })
        {
            var results = new List<SnapshotEntryResult>();
            var files = new List<string?>();
            foreach (var entry in new[] { new SnapshotEntry("x.o:p", name, listing), new SnapshotEntry("x.o:p", name, listing.Text()) })
            {
                foreach (var f in Directory.GetFiles(dir.Path))
                {
                    File.Delete(f);
                }

                if (verified is not null)
                {
                    File.WriteAllText(Path.Combine(dir.Path, name), verified);
                }

                var result = SnapshotRunner.Run(dir.Path, [entry], options);
                results.Add(result.Entries.Single());
                string received = Path.Combine(dir.Path, SnapshotNaming.ReceivedFileName(name));
                files.Add(File.Exists(received) ? File.ReadAllText(received) : null);
            }

            Assert.Equal(results[1], results[0]);
            Assert.Equal(files[1], files[0]);
        }
    }
}
