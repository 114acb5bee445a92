// SPDX-License-Identifier: MIT
using BpfFixup.Diff;

namespace BpfFixup.Tests.Diff;

public sealed class ListingDiffTests
{
    private static ProgramListing Program(string section, string name, params string[] lines)
        => new(section, name, [.. lines.Select(l => new ListingLine(l))], lines.Length);

    [Fact]
    public void Identical_listings_print_nothing()
    {
        var a = new[] { Program("fsession/foo", "foo", "r0 = 0", "exit"), Program("kprobe/x", "x", "exit") };
        var b = new[] { Program("kprobe/x", "x", "exit"), Program("fsession/foo", "foo", "r0 = 0", "exit") };
        var result = ListingDiff.Compare("a.o", a, "b.o", b);
        Assert.False(result.HasDifferences);
        Assert.Equal(string.Empty, result.RenderUnified());
        Assert.All(result.Programs, p => Assert.Equal(ProgramDiffStatus.Identical, p.Status));
    }

    [Fact]
    public void One_inserted_instruction_in_ten_thousand_gives_exactly_one_plus_line()
    {
        var lines = Enumerable.Range(0, 10_000).Select(i => "r" + (i % 10) + " += " + (i % 13)).ToArray();
        var changed = lines.ToList();
        changed.Insert(5_000, "r0 = *(u64 *)(r1 - 8)");
        var result = ListingDiff.Compare(
            "a.o", [Program("fsession/foo", "foo", lines)], "b.o", [Program("fsession/foo", "foo", [.. changed])]);
        var text = result.RenderUnified();
        var body = text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("---", StringComparison.Ordinal) && !l.StartsWith("+++", StringComparison.Ordinal));
        Assert.Single(body, l => l[0] == '+');
        Assert.DoesNotContain(body, l => l[0] == '-');
        Assert.StartsWith("--- a.o:fsession/foo/foo\n+++ b.o:fsession/foo/foo\n@@ -4998,6 +4998,7 @@\n", text, StringComparison.Ordinal);
        Assert.True(result.HasDifferences);
    }

    [Fact]
    public void Only_the_compare_key_decides()
    {
        // Same printed text, different comparison key (e.g. a jump now targets another label).
        var a = new ProgramListing("s", "p", [new("0: goto +1", "goto L1"), new("1: exit", "exit")], 2);
        var b = new ProgramListing("s", "p", [new("0: goto +1", "goto L2"), new("1: exit", "exit")], 2);
        var result = ListingDiff.Compare("a.o", [a], "b.o", [b], context: 1);
        Assert.Equal("--- a.o:s/p\n+++ b.o:s/p\n@@ -1,2 +1,2 @@\n-0: goto +1\n+0: goto +1\n 1: exit\n", result.RenderUnified());

        // Different printed text (renumbered), same key: no difference.
        var c = new ProgramListing("s", "p", [new("7: goto +1", "goto L1"), new("8: exit", "exit")], 2);
        Assert.False(ListingDiff.Compare("a.o", [a], "b.o", [c]).HasDifferences);
    }

    [Fact]
    public void Added_and_removed_programs()
    {
        var result = ListingDiff.Compare(
            "a.o",
            [Program("kprobe/old", "old", "r0 = 1", "exit"), Program("tc", "same", "exit")],
            "b.o",
            [Program("fsession/new", "new", "exit"), Program("tc", "same", "exit")]);
        Assert.True(result.HasDifferences);
        Assert.Equal(
            [("fsession/new/new", ProgramDiffStatus.Added), ("kprobe/old/old", ProgramDiffStatus.Removed), ("tc/same", ProgramDiffStatus.Identical)],
            result.Programs.Select(p => (p.Key, p.Status)));
        Assert.Equal(
            "--- /dev/null\n+++ b.o:fsession/new/new\n@@ -0,0 +1 @@\n+exit\n"
            + "--- a.o:kprobe/old/old\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-r0 = 1\n-exit\n",
            result.RenderUnified());
    }

    [Fact]
    public void Header_lines_precede_a_changed_program()
    {
        var a = Program("s", "p", "exit") with { Header = ["# llvm19 el"] };
        var b = Program("s", "p", "r0 = 0", "exit") with { Header = ["# llvm19 el"] };
        Assert.StartsWith("# llvm19 el\n--- a.o:s/p\n", ListingDiff.Compare("a.o", [a], "b.o", [b]).RenderUnified(), StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_keys_are_told_apart_by_occurrence()
    {
        // Functions named p in section s twice (a damaged symbol table), and section "s/p" + name "" against
        // section "s" + name "p/": one key each time.
        var a = new[] { Program("s", "p", "exit"), Program("s", "p", "r0 = 0", "exit"), Program("s/p", string.Empty, "exit"), Program("s", "p/", "exit") };
        var b = new[] { Program("s", "p", "exit"), Program("s", "p", "r0 = 1", "exit"), Program("s/p", string.Empty, "exit") };
        var result = ListingDiff.Compare("a.o", a, "b.o", b);
        Assert.Equal(["s/p", "s/p#2", "s/p/", "s/p/#2"], result.Programs.Select(p => p.Key));
        Assert.Equal([ProgramDiffStatus.Identical, ProgramDiffStatus.Changed, ProgramDiffStatus.Identical, ProgramDiffStatus.Removed], result.Programs.Select(p => p.Status));
        Assert.False(ListingDiff.Compare("a.o", a, "b.o", a).HasDifferences);
    }

    [Fact]
    public void Json_report_is_pinned()
    {
        var result = ListingDiff.Compare(
            "a.o",
            [Program("s", "p", "r0 = 0", "exit"), Program("x", "gone", "exit")],
            "b.o",
            [Program("s", "p", "r0 = 1", "exit")],
            context: 0);
        Assert.Equal(
            """
            {
              "schemaVersion": 1,
              "oldFile": "a.o",
              "newFile": "b.o",
              "hasDifferences": true,
              "programs": [
                {
                  "key": "s/p",
                  "section": "s",
                  "name": "p",
                  "status": "changed",
                  "insnsA": 2,
                  "insnsB": 2,
                  "insnsDiff": 0,
                  "insnsDiffPercent": 0,
                  "listingA": "39ea002",
                  "listingB": "619c6da",
                  "listingDiff": "MISMATCH",
                  "hunks": [
                    {
                      "oldStart": 1,
                      "oldCount": 1,
                      "newStart": 1,
                      "newCount": 1,
                      "lines": [
                        "-r0 = 0",
                        "+r0 = 1"
                      ]
                    }
                  ]
                },
                {
                  "key": "x/gone",
                  "section": "x",
                  "name": "gone",
                  "status": "removed",
                  "insnsA": 1,
                  "listingA": "9577a8b",
                  "listingDiff": "N/A",
                  "hunks": [
                    {
                      "oldStart": 1,
                      "oldCount": 1,
                      "newStart": 0,
                      "newCount": 0,
                      "lines": [
                        "-exit"
                      ]
                    }
                  ]
                }
              ]
            }
            """,
            result.ToJson());
    }
}
