// SPDX-License-Identifier: MIT
using BpfFixup.Diff;

namespace BpfFixup.Tests.Diff;

/// <summary>The expected texts are what git 2.x prints for files with the same names and line counts (run by hand).</summary>
public sealed class DiffStatTests
{
    private static ProgramListing Lines(string section, string name, string prefix, int count) =>
        new(section, name, [.. Enumerable.Range(0, count).Select(i => new ListingLine(prefix + i))], count);

    [Fact]
    public void Matches_git_for_added_removed_and_changed()
    {
        // git diff --stat of: f/a (3 lines -> 1 changed of 3), g/b (new, 2 lines), h/c (removed, 1 line).
        var result = ListingDiff.Compare(
            "x.o", [Lines("f", "a", "x", 3), Lines("h", "c", "z", 1)],
            "x.o", [new ProgramListing("f", "a", [new ListingLine("x0"), new ListingLine("CHANGED"), new ListingLine("x2")], 3), Lines("g", "b", "y", 2)]);
        Assert.Equal(
            " f/a | 2 +-\n"
            + " g/b | 2 ++\n"
            + " h/c | 1 -\n"
            + " 3 programs changed, 3 insertions(+), 2 deletions(-)\n",
            result.RenderDiffStat());
        Assert.Equal(
            " f/a | 2 \u001b[32m+\u001b[m\u001b[31m-\u001b[m\n",
            result.RenderDiffStat(color: true).Split('\n')[0] + "\n");
    }

    [Fact]
    public void A_long_name_and_a_large_change_are_cut_and_scaled_as_git_does()
    {
        // git: " .../attach_point_also_long/prog_name_x             | 200 ---------------------" for a 300 -> 100 line file.
        var result = ListingDiff.Compare(
            "x.o", [Lines("sec_with_a_really_long_name_that_goes_on_and_on_and_on/attach_point_also_long", "prog_name_x", "l", 300), Lines("z", "short", "a", 1)],
            "x.o", [Lines("sec_with_a_really_long_name_that_goes_on_and_on_and_on/attach_point_also_long", "prog_name_x", "l", 100), Lines("z", "short", "a", 6)]);
        Assert.Equal(
            " .../attach_point_also_long/prog_name_x             | 200 ---------------------\n"
            + " z/short                                            |   5 +\n"
            + " 2 programs changed, 5 insertions(+), 200 deletions(-)\n",
            result.RenderDiffStat());
    }

    [Theory]
    [InlineData(1, 1, 1, " 1 program changed, 1 insertion(+), 1 deletion(-)")]
    [InlineData(2, 3, 0, " 2 programs changed, 3 insertions(+)")]
    [InlineData(2, 0, 4, " 2 programs changed, 4 deletions(-)")]
    [InlineData(1, 0, 0, " 1 program changed, 0 insertions(+), 0 deletions(-)")]
    public void Summary_is_gits(int programs, int insertions, int deletions, string expected)
    {
        Assert.Equal(expected, DiffStat.Summary(programs, insertions, deletions));
    }

    [Fact]
    public void Nothing_changed_prints_nothing()
    {
        var result = ListingDiff.Compare("x.o", [Lines("s", "p", "a", 2)], "x.o", [Lines("s", "p", "a", 2)]);
        Assert.Equal(string.Empty, result.RenderDiffStat());
    }
}
