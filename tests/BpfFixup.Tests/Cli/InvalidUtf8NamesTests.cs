// SPDX-License-Identifier: MIT
using System.Text;
using System.Text.Json;
using BpfFixup.Elf;
using BpfFixup.Tests.TestKit;
using static BpfFixup.Tests.TestKit.CliRun;

namespace BpfFixup.Tests.Cli;

/// <summary>
/// Names that are not valid UTF-8 (issue 8): text outputs print each invalid byte as <c>\xNN</c>, so names that differ
/// only there print differently (before, each was U+FFFD); JSON and SARIF stay valid JSON, with U+FFFD in its place;
/// a patched object keeps the names' bytes.
/// </summary>
public sealed class InvalidUtf8NamesTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    /// <summary>Two programs whose names differ only in a byte that is not UTF-8, a subprogram and a section with such bytes.</summary>
    private static byte[] Crafted(ByteOrder order, bool raw)
    {
        var b = new BpfObjectBuilder(order);
        foreach (var (section, program) in new[] { ("fsession/vfs_read", "prog_A_"), ("fsession/vfs_write_D_", "prog_B_") })
        {
            var p = b.Section(section);
            p.Add(Asm.MovReg(6, 1));
            p.Add(Asm.CallRelocated());      // call sub
            p.Add(Asm.MovReg(1, 6));
            p.Add(Asm.CallRelocated());      // call bpf_session_is_return
            p.Add(Asm.MovImm(0, 0));
            p.Add(Asm.Exit());
            b.Function(section, program, 0, global: true);
            b.Relocate(section, 1, "sub_C_", BpfRelocationType.R64_32).Relocate(section, 3, "bpf_session_is_return", BpfRelocationType.R64_32);
        }

        var text = b.Section(".text");
        text.Add(Asm.MovImm(0, 0));
        text.Add(Asm.Exit());
        b.Function(".text", "sub_C_", 0, global: false).Extern("bpf_session_is_return");
        var bytes = b.Build();
        if (raw)
        {
            // The markers become bytes that are never (0xfe, 0xff, 0x80) or not here (0xc3 before '_') UTF-8.
            Replace(bytes, "prog_A_", 0xfe);
            Replace(bytes, "prog_B_", 0xff);
            Replace(bytes, "sub_C_", 0xc3);
            Replace(bytes, "vfs_write_D_", 0x80);
        }

        return bytes;
    }

    private static void Replace(byte[] bytes, string name, byte marker)
    {
        var needle = Encoding.ASCII.GetBytes(name);
        int at, from = 0, count = 0;
        while ((at = bytes.AsSpan(from).IndexOf(needle)) >= 0)
        {
            bytes[from + at + name.Length - 2] = marker;
            from += at + needle.Length;
            count++;
        }

        Assert.True(count > 0, name);
    }

    private (string Raw, string Plain) Write(ByteOrder order)
    {
        string raw = dir.File($"raw-{order}.o"), plain = dir.File($"plain-{order}.o");
        File.WriteAllBytes(raw, Crafted(order, raw: true));
        File.WriteAllBytes(plain, Crafted(order, raw: false));
        return (raw, plain);
    }

    /// <summary>The plain object's output with its markers replaced by the escapes the raw object's must show.</summary>
    private static string Expected(string plainOutput, string plain, string raw) => plainOutput
        .Replace(plain, raw, StringComparison.Ordinal)
        .Replace(Path.GetFileName(plain), Path.GetFileName(raw), StringComparison.Ordinal)
        .Replace("prog_A_", "prog_\\xfe_", StringComparison.Ordinal)
        .Replace("prog_B_", "prog_\\xff_", StringComparison.Ordinal)
        .Replace("sub_C_", "sub_\\xc3_", StringComparison.Ordinal)
        .Replace("vfs_write_D_", "vfs_write_\\x80_", StringComparison.Ordinal);

    public static TheoryData<string, ByteOrder> TextCommands()
    {
        var data = new TheoryData<string, ByteOrder>();
        foreach (var order in new[] { ByteOrder.Little, ByteOrder.Big })
        {
            foreach (var command in new[] { "check", "dump", "dump --fixup", "dump --syntax xlated", "patch --dry-run --diff", "diff --fixup" })
            {
                data.Add(command, order);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TextCommands))]
    public void Text_outputs_print_each_invalid_byte_as_an_escape_and_nothing_else_changes(string command, ByteOrder order)
    {
        var (raw, plain) = Write(order);
        var words = command.Split(' ');
        var rawRun = Run([words[0], raw, .. words[1..]]);
        var plainRun = Run([words[0], plain, .. words[1..]]);

        Assert.Equal(plainRun.Code, rawRun.Code);
        Assert.Equal(Expected(plainRun.Out, plain, raw), rawRun.Out);
        Assert.Equal(Expected(plainRun.Err, plain, raw), rawRun.Err);
        Assert.DoesNotContain('\uFFFD', rawRun.Out + rawRun.Err);
        Assert.DoesNotContain(rawRun.Out + rawRun.Err, char.IsSurrogate);
    }

    [Fact]
    public void Two_programs_that_differ_in_an_invalid_byte_are_two_lines_of_check()
    {
        var (raw, _) = Write(ByteOrder.Little);
        var r = Run("check", raw);
        Assert.Contains("  fsession/vfs_read prog_\\xfe_ [", r.Out, StringComparison.Ordinal);
        Assert.Contains("  fsession/vfs_write_\\x80_ prog_\\xff_ [", r.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("sarif")]
    public void Json_and_sarif_stay_valid_json_with_the_replacement_character(string format)
    {
        var (raw, _) = Write(ByteOrder.Little);
        var (code, bytes, _) = RunBinary("check", raw, "--format", format);
        Assert.True(code is 0 or 1);
        string text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes); // valid UTF-8
        using var doc = JsonDocument.Parse(text);                                           // valid JSON
        if (format == "json")
        {
            Assert.Contains("prog_\\uFFFD_", text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("\\uDC", text, StringComparison.OrdinalIgnoreCase);           // no lone surrogate escapes
    }

    [Fact]
    public void Dump_json_stays_valid_json()
    {
        var (raw, _) = Write(ByteOrder.Big);
        var (code, bytes, _) = RunBinary("dump", raw, "--json");
        Assert.Equal(0, code);
        string text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        using var doc = JsonDocument.Parse(text);
        Assert.Contains("prog_\\uFFFD_", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ByteOrder.Little)]
    [InlineData(ByteOrder.Big)]
    public void A_patched_object_keeps_the_names_bytes(ByteOrder order)
    {
        var (raw, _) = Write(order);
        string output = dir.File($"out-{order}.o");
        var r = Run("patch", raw, "-o", output);
        Assert.Equal(0, r.Code);
        var bytes = File.ReadAllBytes(output);
        foreach (var (name, marker) in new[] { ("prog_", 0xfe), ("prog_", 0xff), ("sub_", 0xc3), ("vfs_write_", 0x80) })
        {
            byte[] needle = [.. Encoding.ASCII.GetBytes(name), (byte)marker, (byte)'_'];
            Assert.True(bytes.AsSpan().IndexOf(needle) >= 0, $"{name}\\x{marker:x2}_ kept");
        }

        Assert.True(bytes.AsSpan().IndexOf("\uFFFD"u8) < 0);
        // The patched object reads back with the same names.
        var again = Run("check", output);
        Assert.Contains("prog_\\xfe_", again.Out, StringComparison.Ordinal);
    }
}
