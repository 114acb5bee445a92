// SPDX-License-Identifier: MIT
using BpfFixup.Diff;

namespace BpfFixup.Tests.Diff;

public sealed class UnifiedDiffTests
{
    [Fact]
    public void Equal_texts_give_empty_diff_even_with_different_line_endings()
    {
        Assert.Equal(string.Empty, UnifiedDiff.Render("a\nb", "a\r\nb\r\n", "a/x", "b/x"));
    }

    [Fact]
    public void Renders_git_style_headers_and_hunks()
    {
        var diff = UnifiedDiff.Render("one\ntwo\nthree\nfour\n", "one\nTWO\nthree\nfour\nfive", "a/x.txt", "b/x.txt", 1);
        Assert.Equal(
            "--- a/x.txt\n+++ b/x.txt\n@@ -1,4 +1,5 @@\n one\n-two\n+TWO\n three\n four\n+five\n",
            diff);
    }

    [Fact]
    public void Distant_changes_make_separate_hunks()
    {
        var diff = UnifiedDiff.Render("1\n2\n3\n4\n5\n6", "1\nX\n3\n4\n5\nY", "a/f", "b/f", 1);
        Assert.Equal("--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n 1\n-2\n+X\n 3\n@@ -5,2 +5,2 @@\n 5\n-6\n+Y\n", diff);
    }

    [Fact]
    public void Whitespace_changes_are_differences()
    {
        Assert.NotEqual(string.Empty, UnifiedDiff.Render("r0 = 1", "r0 =  1", "a", "b"));
    }

    [Fact]
    public void New_file_diff_starts_at_zero()
    {
        Assert.Equal("--- a/n\n+++ b/n\n@@ -0,0 +1,2 @@\n+x\n+y\n", UnifiedDiff.Render(string.Empty, "x\ny", "a/n", "b/n"));
    }

    [Fact]
    public void Split_lines_drops_one_final_newline_only()
    {
        Assert.Equal(["a", string.Empty], UnifiedDiff.SplitLines("a\n\n"));
        Assert.Empty(UnifiedDiff.SplitLines(string.Empty));
        Assert.Equal(["a", "b", "c"], UnifiedDiff.SplitLines("a\r\nb\rc"));
    }
}
