// SPDX-License-Identifier: MIT
using BpfFixup.Diff;

namespace BpfFixup.Tests.Diff;

public sealed class StatTableTests
{
    private static ProgramListing Program(string section, string name, int insns, string body = "exit")
        => new(section, name, [new ListingLine(body)], insns);

    [Fact]
    public void Table_is_pinned()
    {
        var result = ListingDiff.Compare(
            "x.o",
            [
                Program("fsession/a", "a", 21_547),
                Program("fsession/b", "b", 100),
                Program("kprobe/gone", "gone", 7),
                Program("tc", "zero", 0),
            ],
            "x.o",
            [
                Program("fsession/a", "a", 20_920, "r0 = 0"),
                Program("fsession/b", "b", 100),
                Program("fentry/new", "new", 12),
                Program("tc", "zero", 3, "r0 = 0"),
            ]);
        Assert.Equal(
            "File  Program           Insns (A)  Insns (B)  Insns (DIFF)   Verdict\n"
            + "----  ----------------  ---------  ---------  -------------  --------\n"
            + "x.o   fentry/new/new          N/A         12            N/A  N/A\n"
            + "x.o   fsession/a/a          21547      20920  -627 (-2.91%)  MISMATCH\n"
            + "x.o   fsession/b/b            100        100    +0 (+0.00%)  MATCH\n"
            + "x.o   kprobe/gone/gone          7        N/A            N/A  N/A\n"
            + "x.o   tc/zero                   0          3  +3 (+100.00%)  MISMATCH\n",
            result.RenderStatTable());
    }

    [Fact]
    public void Different_file_names_are_both_shown()
    {
        var result = ListingDiff.Compare("a.o", [Program("s", "p", 1)], "b.o", [Program("s", "p", 2)]);
        Assert.Equal(
            "File        Program  Insns (A)  Insns (B)  Insns (DIFF)   Verdict\n"
            + "----------  -------  ---------  ---------  -------------  -------\n"
            + "a.o -> b.o  s/p              1          2  +1 (+100.00%)  MATCH\n",
            result.RenderStatTable());
    }

    [Theory]
    [InlineData(0, 0, "+0 (+0.00%)")]
    [InlineData(0, 5, "+5 (+100.00%)")]
    [InlineData(5, 0, "-5 (-100.00%)")]
    [InlineData(800, 801, "+1 (+0.12%)")] // exact tie 0.125: glibc rounds half to even
    [InlineData(800, 803, "+3 (+0.38%)")] // exact tie 0.375 rounds up to even
    [InlineData(200, 201, "+1 (+0.50%)")]
    [InlineData(3, 2, "-1 (-33.33%)")]
    [InlineData(3, 5, "+2 (+66.67%)")]
    public void Diff_cells_match_veristat(long a, long b, string expected)
    {
        Assert.Equal(expected, VeristatFormat.Diff(a, b));
    }
}
