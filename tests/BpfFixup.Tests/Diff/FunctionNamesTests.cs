// SPDX-License-Identifier: MIT
using BpfFixup.Diff;

namespace BpfFixup.Tests.Diff;

public sealed class FunctionNamesTests
{
    private static readonly string[] Listing =
    [
        "prog:",                       // 0
        "    ; x = 1; (a.bpf.c)",      // 1
        "    r0 = 0x1",                // 2
        ".Lab12:",                     // 3
        "    exit",                    // 4
        "sub_fn:",                     // 5
        "    r0 = 0x2",                // 6
        "    exit",                    // 7
    ];

    [Theory]
    [InlineData(0, null)] // nothing above the first line
    [InlineData(1, "prog")]
    [InlineData(5, "prog")] // git searches from the line before the hunk
    [InlineData(6, "sub_fn")]
    [InlineData(99, "sub_fn")]
    public void The_function_is_the_nearest_header_above_the_hunk(int firstLine, string? expected)
    {
        Assert.Equal(expected, FunctionNames.Before(Listing, firstLine));
    }

    [Theory]
    [InlineData("prog:", "prog")]
    [InlineData("_start:", "_start")]
    [InlineData("$x:", "$x")]
    [InlineData(".L1:", null)]
    [InlineData("    r0 = 0x1", null)]
    [InlineData("object: ../x.o", null)]
    [InlineData(":", null)]
    public void Only_name_lines_start_a_function(string line, string? expected)
    {
        Assert.Equal(expected, FunctionNames.Of(line));
    }

    [Fact]
    public void A_long_name_is_cut_to_80_as_xdiff_cuts_it()
    {
        string name = new('f', 100);
        Assert.Equal(new string('f', 80), FunctionNames.Of(name + ":"));
    }

    [Fact]
    public void Hunk_headers_carry_the_name_and_the_json_too()
    {
        ProgramListing Make(params string[] lines) => new("s", "prog", [.. lines.Select(l => new ListingLine(l))], lines.Length);
        var result = ListingDiff.Compare(
            "a.o", [Make("prog:", "    r1 = 0x1", "    r2 = 0x2", "    r3 = 0x3", "    r4 = 0x4", "    r0 = 0x0", "    exit")],
            "b.o", [Make("prog:", "    r1 = 0x1", "    r2 = 0x2", "    r3 = 0x3", "    r4 = 0x4", "    r0 = 0x1", "    exit")],
            context: 1);
        Assert.Contains("\n@@ -5,3 +5,3 @@ prog\n", result.RenderUnified(), StringComparison.Ordinal);
        Assert.Contains("\"function\": \"prog\"", result.ToJson(), StringComparison.Ordinal);
    }
}
