// SPDX-License-Identifier: MIT
using System.Text.Json;
using BpfFixup.Diagnostics;
using BpfFixup.Model;
using BpfFixup.Rendering;
using BpfFixup.Rendering.Json;
using BpfFixup.Tests.Interop;

namespace BpfFixup.Tests.Rendering;

public class ListingWriterTests
{
    internal static BpfObject Load(string sample, string? displayName = null)
    {
        var diags = new DiagnosticBag();
        var obj = ObjectLoader.LoadFile(TestPaths.Sample(sample), diags, displayName ?? sample);
        Assert.True(obj is not null, string.Join('\n', diags.Items));
        return obj!;
    }

    private static string[] Lines(string sample, ListingOptions? options = null) =>
        new ListingWriter(options ?? new ListingOptions()).Render(Load(sample)).Split('\n');

    [Fact]
    public void Basic_listing_pins_header_call_relocation_mark_jump_and_core_lines()
    {
        var lines = Lines("session_basic-el.o");
        Assert.Equal(string.Empty, lines[0]);
        Assert.Equal("session_basic-el.o:\tfile format elf64-bpf", lines[1]);
        Assert.Contains("Disassembly of section fsession/do_unlinkat:", lines);
        Assert.Contains("0000000000000000 <unlink_lat>:  ; prog_type=tracing attach_type=trace_fsession", lines);
        Assert.Contains("0000000000000000 <open_fail>:  ; prog_type=tracing attach_type=trace_fsession sleepable", lines);
        int call = Array.IndexOf(lines, "       5:\t85 10 00 00 ff ff ff ff\tcall -0x1");
        Assert.True(call > 0);
        Assert.Equal("\t\t0000000000000028:  R_BPF_64_32\tbpf_session_cookie", lines[call + 1]);
        Assert.Equal("\t\t; session kfunc bpf_session_cookie [trace_fsession]", lines[call + 2]);
        Assert.Contains("      12:\t18 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00\tr1 = 0x0 ll", lines);
        Assert.Contains("      15:\t15 02 03 00 00 00 00 00\tif r2 == 0x0 goto +0x3 <unlink_lat+0x98>", lines);
        Assert.Contains("\t\t0000000000000288:  CO-RE <byte_off> [33] struct filename::name (0:0)", lines);
        Assert.Contains("\t\t00000000000001a0:  CO-RE <field_exists> [39] struct task_struct::bpffixup_nonexistent (0:4)", lines);
        Assert.Equal(5, lines.Count(l => l.StartsWith("\t\t; session kfunc ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Subprogram_call_sites_name_every_reaching_attach_type()
    {
        var lines = Lines("session_subprog-el.o");
        Assert.Contains("\t\t; session kfunc bpf_session_cookie [trace_fsession, trace_kprobe_session]", lines);
        Assert.Contains("0000000000000148 <sess_is_exit>:", lines);
    }

    [Fact]
    public void Inline_asm_labels_head_their_code_and_annotate_jumps()
    {
        var lines = Lines("session_asm-el.o");
        Assert.Contains("0000000000000068 <l0_0>:", lines);
        Assert.Contains(lines, l => l.EndsWith("if r1 != 0x0 goto +0x2 <l0_0>", StringComparison.Ordinal));
    }

    [Fact]
    public void Xlated_syntax_names_kfuncs_from_relocations()
    {
        var lines = Lines("session_basic-el.o", new ListingOptions { Syntax = ListingSyntax.Xlated, ShowRawBytes = false });
        Assert.Contains("       5:\t(85) call bpf_session_cookie#-1", lines);
        Assert.Contains("       1:\t(79) r1 = *(u64 *)(r8 +16)", lines);
        Assert.Contains(lines, l => l.Contains("(18) r1 = &target_tgid", StringComparison.Ordinal));
    }

    [Fact]
    public void Xlated_pseudo_calls_name_the_callee()
    {
        var lines = Lines("session_subprog-el.o", new ListingOptions { Syntax = ListingSyntax.Xlated, ShowRawBytes = false });
        Assert.Contains("      35:\t(85) call pc+5#sess_is_exit", lines);
    }

    [Fact]
    public void Source_lines_precede_the_instruction_where_a_record_starts()
    {
        var lines = Lines("session_subprog-el.o", new ListingOptions { ShowSource = true });
        int at = Array.IndexOf(lines, "; \t__u64 *cookie = bpf_session_cookie(ctx); @ ./src/session_subprog.bpf.c:60:18");
        Assert.True(at > 0);
        Assert.StartsWith("       2:\t", lines[at + 1], StringComparison.Ordinal);
    }

    [Fact]
    public void Filters_select_a_section_or_a_function()
    {
        var bySection = Lines("session_basic-el.o", new ListingOptions { Section = "fsession/vfs_fsync_range" });
        Assert.Single(bySection, l => l.StartsWith("Disassembly of section", StringComparison.Ordinal));
        Assert.Contains("0000000000000000 <fsync_count>:  ; prog_type=tracing attach_type=trace_fsession", bySection);

        var byProgram = Lines("session_subprog-el.o", new ListingOptions { Program = "sess_is_exit" });
        Assert.Equal(["", "session_subprog-el.o:\tfile format elf64-bpf", "", "Disassembly of section .text:", "",
            "0000000000000148 <sess_is_exit>:",
            "      41:\t85 10 00 00 ff ff ff ff\tcall -0x1",
            "\t\t0000000000000148:  R_BPF_64_32\tbpf_session_is_return",
            "\t\t; session kfunc bpf_session_is_return [trace_fsession, trace_kprobe_session]",
            "      42:\t95 00 00 00 00 00 00 00\texit", ""], byProgram);
    }

    [Theory]
    [InlineData("session_basic")]
    [InlineData("session_subprog")]
    [InlineData("session_kprobe")]
    [InlineData("session_asm")]
    [InlineData("session_oldproto")]
    [InlineData("session_bad")]
    // (no_session is left out: its C code reads a network-order field byte by byte, so clang emits different code per byte order.)
    public void Both_byte_orders_give_the_same_text_apart_from_bytes(string stem)
    {
        foreach (var syntax in new[] { ListingSyntax.Llvm, ListingSyntax.Xlated })
        {
            var options = new ListingOptions { Syntax = syntax, ShowRawBytes = false, ShowSource = true };
            string el = new ListingWriter(options).Render(Load(stem + "-el.o", "x.o"));
            string eb = new ListingWriter(options).Render(Load(stem + "-eb.o", "x.o"));
            Assert.Equal(el, eb);
        }
    }

    [Fact]
    public void Json_has_the_documented_shape_and_bytes_round_trip()
    {
        var obj = Load("session_basic-eb.o");
        string json = DumpJson.Serialize([DumpJson.Build(obj, new ListingOptions())]);
        Assert.DoesNotContain("\r", json, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(1, doc.RootElement.GetProperty("schemaVersion").GetInt32());
        var root = Assert.Single(doc.RootElement.GetProperty("objects").EnumerateArray());
        Assert.Equal("session_basic-eb.o", root.GetProperty("file").GetString());
        Assert.Equal("big", root.GetProperty("byteOrder").GetString());
        int calls = 0;
        foreach (var section in root.GetProperty("sections").EnumerateArray())
        {
            var code = obj.CodeSections.Single(s => s.Name == section.GetProperty("name").GetString());
            foreach (var insn in section.GetProperty("instructions").EnumerateArray())
            {
                int index = insn.GetProperty("index").GetInt32();
                var bytes = Convert.FromHexString(insn.GetProperty("bytes").GetString()!);
                Assert.True(bytes.Length is 8 or 16);
                Assert.Equal(code.Elf.Data.Slice(index * 8, bytes.Length).ToArray(), bytes);
                Assert.Equal(JsonValueKind.String, insn.GetProperty("llvm").ValueKind);
                Assert.Equal(JsonValueKind.String, insn.GetProperty("xlated").ValueKind);
                Assert.Equal(JsonValueKind.String, insn.GetProperty("function").ValueKind);
                var reloc = insn.GetProperty("relocation");
                if (insn.GetProperty("kfunc").GetString() is { } kfunc)
                {
                    calls++;
                    Assert.Equal("R_BPF_64_32", reloc.GetProperty("type").GetString());
                    Assert.Equal(kfunc, reloc.GetProperty("symbol").GetString());
                    Assert.Equal((ulong)index * 8, reloc.GetProperty("offset").GetUInt64());
                }
            }
        }

        Assert.Equal(obj.SessionCallSites.Count, calls);
    }

    [Fact]
    public void Json_of_several_objects_has_the_shape_of_one()
    {
        var docs = new[] { DumpJson.Build(Load("no_session-el.o"), new ListingOptions()), DumpJson.Build(Load("no_session-eb.o"), new ListingOptions()) };
        using var doc = JsonDocument.Parse(DumpJson.Serialize(docs));
        Assert.Equal(["schemaVersion", "objects"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["no_session-el.o", "no_session-eb.o"], doc.RootElement.GetProperty("objects").EnumerateArray().Select(d => d.GetProperty("file").GetString()));
    }

    [InteropFact("llvm-objdump-19")]
    public void Listing_without_our_annotations_equals_llvm_objdump_19_dr()
    {
        // The CO-RE samples (samples/obj/core) hold every relocation kind and access-path shape llvm-objdump names.
        foreach (string path in TestPaths.AllSamples().Concat(TestPaths.CoreSamples()))
        {
            string name = Path.GetRelativePath(TestPaths.SampleObjects, path);
            string expected = ExternalTool.RunChecked("llvm-objdump-19", ["-dr", path]);
            string ours = new ListingWriter(new ListingOptions()).Render(Load(name, path));
            var stripped = ours.Split('\n')
                .Where(l => !l.StartsWith("\t\t; session kfunc ", StringComparison.Ordinal))
                .Select(l => l.Contains(">:  ; prog_type=", StringComparison.Ordinal) ? l[..(l.IndexOf(">:", StringComparison.Ordinal) + 2)] : l);
            Assert.Equal(expected, string.Join('\n', stripped));
        }
    }
}
