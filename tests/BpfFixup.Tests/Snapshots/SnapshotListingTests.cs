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

    /// <summary>
    /// The listing as the renderer gives it: its lines as ids of one cache in two functions, the second shared with
    /// another listing when <paramref name="shared"/> (so compared as one array), else shown by this one only.
    /// </summary>
    private static SnapshotListing ById(bool shared, params string[] lines)
    {
        var cache = new ListingLineCache();
        var entries = lines.Select(cache.Of).ToArray();
        int half = lines.Length / 2;
        int[] first = [.. entries[..half].Select(e => e.Id)];
        int[] second = [.. entries[half..].Select(e => e.Id)];
        IReadOnlyList<int[]> functions = [first, second];
        var bytes = new FunctionBytes(cache, shared ? [functions, [second]] : [functions]);
        return new SnapshotListing(Header, [.. entries.Select(e => e.Line)], functions, bytes);
    }

    public static TheoryData<string[], int> ListingsByWay()
    {
        var data = new TheoryData<string[], int>();
        foreach (var lines in Cases)
        {
            for (int way = 0; way < 3; way++)
            {
                data.Add(lines, way);
            }
        }

        return data;
    }

    [Fact]
    public void Text_is_the_header_then_each_line_and_an_lf()
    {
        Assert.Equal(Header + "p:\n    r0 = 0\n    exit\n", Listing("p:", "    r0 = 0", "    exit").Text());
        Assert.Equal(Header, Listing().Text());
    }

    private static readonly string[][] Cases =
    [
        ["p:", "    r0 = 0", "    exit"],
        ["p:", "    ; é → ü (x.bpf.c)", "    exit"],
        ["p:", "    exit", string.Empty, string.Empty],
        [string.Empty, string.Empty],
        [],
    ];

    [Theory]
    [MemberData(nameof(ListingsByWay))]
    public void Bytes_match_exactly_when_they_are_the_normalised_text(string[] lines, int way)
    {
        // As lines, as ids of functions shown once, and as ids with a function shared (compared as one array).
        var listing = way == 0 ? Listing(lines) : ById(shared: way == 2, lines);
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
        for (int at = 0; at < bytes.Length; at++)
        {
            // Any byte changed, anywhere (the header, a line, an LF between lines).
            var changed = (byte[])bytes.Clone();
            changed[at] ^= 1;
            Assert.False(listing.Matches(changed));
        }

        // A missing line, or one more.
        Assert.False(listing.Matches(Encoding.UTF8.GetBytes(normalised + "\n    exit")));
    }

    [Fact]
    public void A_shared_function_is_compared_where_the_file_holds_it()
    {
        // The same lines in another order, split across the functions otherwise, are not the file.
        var listing = ById(shared: true, "p:", "    r0 = 0", "q:", "    exit");
        var other = Encoding.UTF8.GetBytes(SnapshotText.Normalize(Header + "p:\nq:\n    r0 = 0\n    exit\n"));
        Assert.False(listing.Matches(other));
        Assert.True(listing.Matches(Encoding.UTF8.GetBytes(SnapshotText.Normalize(listing.Text()))));
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
