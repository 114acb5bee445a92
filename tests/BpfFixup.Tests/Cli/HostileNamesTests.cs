// SPDX-License-Identifier: MIT
using BpfFixup.Model;
using BpfFixup.Elf;
using BpfFixup.Tests.TestKit;
using static BpfFixup.Tests.TestKit.CliRun;

namespace BpfFixup.Tests.Cli;

/// <summary>
/// Section and symbol names holding ESC and newlines: every text output prints them escaped (<c>\x1b</c>, <c>\n</c>),
/// so no terminal sequence is sent and no line can be forged.
/// </summary>
public sealed class HostileNamesTests : IDisposable
{
    private const string Section = "fsession/vfs_read\u001b[2J\nforged: section";
    private const string Program = "prog\u001b]0;title\u0007\nforged: ok";
    private const string Helper = "sub\r\nforged: sub";

    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    /// <summary>A program calling a subprogram and both session kfuncs, every name hostile.</summary>
    internal static byte[] Crafted(bool reject = false)
    {
        var b = new BpfObjectBuilder(ByteOrder.Little);
        var p = b.Section(Section);
        p.Add(Asm.MovReg(6, 1));                        // 0
        p.Add(Asm.CallRelocated());                     // 1 call sub
        p.Add(reject ? Asm.MovImm(1, 0) : Asm.MovReg(1, 6)); // 2 (r1 = 0: not ctx, the kernel rejects)
        p.Add(Asm.CallRelocated());                     // 3 call bpf_session_cookie
        p.Add(Asm.MovReg(1, 6));                        // 4
        p.Add(Asm.CallRelocated());                     // 5 call bpf_session_is_return
        p.Add(Asm.MovImm(0, 0));                        // 6 an fsession program returns 0 (check_return_code)
        p.Add(Asm.Exit());                              // 7
        var text = b.Section(".text");                  // subprograms live in .text (libbpf: "bad call relo" elsewhere)
        text.Add(Asm.MovImm(0, 0));                     // .text+0 sub
        text.Add(Asm.Exit());                           // .text+1
        b.Function(Section, Program, 0, global: true).Function(".text", Helper, 0, global: false);
        b.Extern("bpf_session_is_return").Extern("bpf_session_cookie");
        b.Relocate(Section, 1, Helper, BpfRelocationType.R64_32)
         .Relocate(Section, 3, "bpf_session_cookie", BpfRelocationType.R64_32)
         .Relocate(Section, 5, "bpf_session_is_return", BpfRelocationType.R64_32);
        return b.Build();
    }

    private string Write(string name, bool reject = false)
    {
        string path = dir.File(name);
        File.WriteAllBytes(path, Crafted(reject));
        return path;
    }

    private static void AssertEscaped(string text)
    {
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\u0007', text);
        Assert.DoesNotContain('\r', text);
        Assert.DoesNotContain(text.Split('\n'), line => line.StartsWith("forged", StringComparison.Ordinal));
    }

    public static TheoryData<string[]> TextCommands => new()
    {
        new[] { "dump", "OBJ" },
        new[] { "dump", "OBJ", "--syntax", "xlated" },
        new[] { "dump", "OBJ", "--fixup" },
        new[] { "check", "OBJ" },
        new[] { "patch", "OBJ", "--dry-run", "--diff" },
        new[] { "diff", "OBJ", "--fixup" },
        new[] { "diff", "OBJ", "OTHER" },
        new[] { "diff", "OBJ", "OTHER", "--format", "stat" },
        new[] { "snapshot", "OBJ", "--dir", "SNAPS", "--check" },
        new[] { "check", "BAD" },
        new[] { "dump", "BAD", "--fixup" },
    };

    [Theory]
    [MemberData(nameof(TextCommands))]
    public void Every_text_output_escapes_control_characters_in_names(string[] template)
    {
        string obj = Write("x.o");
        string other = Write("y.o", reject: true);
        string bad = other;
        var args = template.Select(a => a switch { "OBJ" => obj, "OTHER" => other, "BAD" => bad, "SNAPS" => dir.File("snaps"), _ => a }).ToArray();
        var r = Run(args);
        Assert.True(r.Code is 0 or 1, r.ToString());
        AssertEscaped(r.Out);
        AssertEscaped(r.Err);
        Assert.Contains("\\x1b", r.Out + r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void The_listing_and_the_check_report_show_the_names_c_style()
    {
        string obj = Write("x.o");
        var dump = Run("dump", obj, "--no-raw");
        Assert.Contains("Disassembly of section fsession/vfs_read\\x1b[2J\\nforged: section:\n", dump.Out, StringComparison.Ordinal);
        Assert.Contains("<prog\\x1b]0;title\\x07\\nforged: ok>:", dump.Out, StringComparison.Ordinal);

        var check = Run("check", obj);
        Assert.Contains("  fsession/vfs_read\\x1b[2J\\nforged: section prog\\x1b]0;title\\x07\\nforged: ok [", check.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_headers_and_listings_are_escaped_and_file_names_sanitised()
    {
        string obj = Write("x.o");
        Assert.Equal(0, Run("snapshot", obj, "--dir", dir.File("snaps")).Code);
        var files = Directory.GetFiles(dir.File("snaps"));
        Assert.All(files, f => Assert.Matches("^[A-Za-z0-9._-]+$", Path.GetFileName(f)));
        string file = Assert.Single(files, f => Path.GetFileName(f).StartsWith("x.prog_", StringComparison.Ordinal));
        string text = File.ReadAllText(file);
        AssertEscaped(text);
        Assert.Contains("\nprogram: prog\\x1b]0;title\\x07\\nforged: ok\n", text, StringComparison.Ordinal);
        Assert.Contains("\nsection: fsession/vfs_read\\x1b[2J\\nforged: section\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_keeps_the_names_exact()
    {
        string obj = Write("x.o");
        var r = Run("check", obj, "--format", "json");
        Assert.Contains("prog\\u001b]0;title\\u0007\\nforged: ok", r.Out, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_file_name_with_control_characters_is_escaped_in_errors()
    {
        string name = dir.File("evil\u001b[31m\nforged.o");
        var r = Run("check", name);
        Assert.Equal(2, r.Code);
        Assert.Equal([$"bpffixup: error: {dir.Path}/evil\\x1b[31m\\nforged.o: file at 0x0: cannot read: no such file or directory"], r.ErrLines);
    }
}
