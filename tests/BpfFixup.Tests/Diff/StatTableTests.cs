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
        // Listing (A)/(B): sha256("exit\n") = 9577a8b…, sha256("r0 = 0\n") = fe86039….
        Assert.Equal(
            "File  Program           Listing (A)  Listing (B)  Listing (DIFF)  Insns (A)  Insns (B)  Insns (DIFF)\n"
            + "----  ----------------  -----------  -----------  --------------  ---------  ---------  -------------\n"
            + "x.o   fentry/new/new    N/A          9577a8b      N/A                   N/A         12            N/A\n"
            + "x.o   fsession/a/a      9577a8b      fe86039      MISMATCH            21547      20920  -627 (-2.91%)\n"
            + "x.o   fsession/b/b      9577a8b      9577a8b      MATCH                 100        100    +0 (+0.00%)\n"
            + "x.o   kprobe/gone/gone  9577a8b      N/A          N/A                     7        N/A            N/A\n"
            + "x.o   tc/zero           9577a8b      fe86039      MISMATCH                0          3  +3 (+100.00%)\n"
            + "----  ----------------  -----------  -----------  --------------  ---------  ---------  -------------\n",
            result.RenderStatTable());
    }

    [Fact]
    public void Different_file_names_are_both_shown()
    {
        var result = ListingDiff.Compare("a.o", [Program("s", "p", 1)], "b.o", [Program("s", "p", 2)]);
        Assert.Equal(
            "File        Program  Listing (A)  Listing (B)  Listing (DIFF)  Insns (A)  Insns (B)  Insns (DIFF)\n"
            + "----------  -------  -----------  -----------  --------------  ---------  ---------  -------------\n"
            + "a.o -> b.o  s/p      9577a8b      9577a8b      MATCH                   1          2  +1 (+100.00%)\n"
            + "----------  -------  -----------  -----------  --------------  ---------  ---------  -------------\n",
            result.RenderStatTable());
    }

    [Fact]
    public void Csv_is_veristats_comparison_csv()
    {
        var result = ListingDiff.Compare(
            "x.o",
            [Program("fsession/a", "a", 21_547), Program("kprobe/gone", "gone", 7)],
            "x.o",
            [Program("fsession/a", "a", 20_920, "r0 = 0"), Program("fentry/new", "new", 12)]);
        Assert.Equal(
            "file_name,prog_name,listing_base,listing_comp,listing_diff,total_insns_base,total_insns_comp,total_insns_diff\n"
            + "x.o,fentry/new/new,N/A,9577a8b,N/A,N/A,12,N/A\n"
            + "x.o,fsession/a/a,9577a8b,fe86039,MISMATCH,21547,20920,-627 (-2.91%)\n"
            + "x.o,kprobe/gone/gone,9577a8b,N/A,N/A,7,N/A,N/A\n",
            result.RenderStatCsv());

        // A cell with a comma or quote is quoted (RFC 4180); veristat's own names never hold one.
        var odd = ListingDiff.Compare("a,b.o", [Program("s", "p\"q", 1)], "a,b.o", [Program("s", "p\"q", 1)]);
        Assert.Equal("\"a,b.o\",\"s/p\"\"q\",9577a8b,9577a8b,MATCH,1,1,+0 (+0.00%)\n", odd.RenderStatCsv().Split('\n', 2)[1]);
    }

    [Fact]
    public void The_table_needs_no_diff()
    {
        // hunks: false compares line by line only; the table and the CSV are the same as with hunks.
        ProgramListing[] a = [Program("s", "p", 1), Program("s", "q", 1, "r0 = 0")];
        ProgramListing[] b = [Program("s", "p", 1), Program("s", "q", 1, "r0 = 1")];
        var full = ListingDiff.Compare("x.o", a, "x.o", b);
        var quick = ListingDiff.Compare("x.o", a, "x.o", b, hunks: false);
        Assert.All(quick.Programs, p => Assert.Empty(p.Hunks));
        Assert.NotEmpty(full.Programs[1].Hunks);
        Assert.Equal(full.RenderStatTable(), quick.RenderStatTable());
        Assert.Equal(full.RenderStatCsv(), quick.RenderStatCsv());
        Assert.Equal([ProgramDiffStatus.Identical, ProgramDiffStatus.Changed], quick.Programs.Select(p => p.Status));
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
