// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Model;
using BpfFixup.Rewrite;
using BpfFixup.Tests.Interop;

namespace BpfFixup.Tests.Rewrite;

/// <summary>
/// <c>--kernel-inlines</c>: the tracing helper inlines of do_misc_fixups byte for byte (kernel/bpf/verifier.c, the
/// bytes seen in Linux 7.2's xlated stream) in both byte orders (include/uapi/linux/bpf.h's bitfields), the attach types that pick
/// them, jumps across them (TestData/Rewrite/helpers.s), and no change at all without the option.
/// </summary>
public sealed class HelperInlineTests : IDisposable
{
    private const string Mc = "llvm-mc-19", Objdump = "llvm-objdump-19", Readelf = "llvm-readelf-19";

    private readonly string temp = Directory.CreateTempSubdirectory("bpffixup-helpers-").FullName;

    /// <inheritdoc/>
    public void Dispose() => Directory.Delete(temp, recursive: true);

    public static TheoryData<int, AttachType, ByteOrder, string> Rows => new()
    {
        // bpf_get_func_arg: ldx, and 0xff, jge32 +6, lsh 3, add, ldx, stx, mov 0, ja +1, mov -EINVAL.
        { 183, AttachType.TraceFentry, ByteOrder.Little, "79 10 f8 ff 00 00 00 00 57 00 00 00 ff 00 00 00 3e 02 06 00 00 00 00 00 67 02 00 00 03 00 00 00 0f 12 00 00 00 00 00 00 79 20 00 00 00 00 00 00 7b 03 00 00 00 00 00 00 b7 00 00 00 00 00 00 00 05 00 01 00 00 00 00 00 b7 00 00 00 ea ff ff ff" },
        { 183, AttachType.TraceFentry, ByteOrder.Big, "79 01 ff f8 00 00 00 00 57 00 00 00 00 00 00 ff 3e 20 00 06 00 00 00 00 67 20 00 00 00 00 00 03 0f 21 00 00 00 00 00 00 79 02 00 00 00 00 00 00 7b 30 00 00 00 00 00 00 b7 00 00 00 00 00 00 00 05 00 00 01 00 00 00 00 b7 00 00 00 ff ff ff ea" },
        // bpf_get_func_ret with a return value: ldx, and 0xff, lsh 3, add, ldx r3, stx, mov 0.
        { 184, AttachType.TraceFexit, ByteOrder.Little, "79 10 f8 ff 00 00 00 00 57 00 00 00 ff 00 00 00 67 00 00 00 03 00 00 00 0f 10 00 00 00 00 00 00 79 03 00 00 00 00 00 00 7b 32 00 00 00 00 00 00 b7 00 00 00 00 00 00 00" },
        { 184, AttachType.TraceFsession, ByteOrder.Big, "79 01 ff f8 00 00 00 00 57 00 00 00 00 00 00 ff 67 00 00 00 00 00 00 03 0f 01 00 00 00 00 00 00 79 30 00 00 00 00 00 00 7b 23 00 00 00 00 00 00 b7 00 00 00 00 00 00 00" },
        // bpf_get_func_ret without one: mov -EOPNOTSUPP.
        { 184, AttachType.TraceFentry, ByteOrder.Little, "b7 00 00 00 a1 ff ff ff" },
        { 184, AttachType.TraceFentryMulti, ByteOrder.Big, "b7 00 00 00 ff ff ff a1" },
        // bpf_get_func_arg_cnt: ldx, and 0xff.
        { 185, AttachType.TraceFsessionMulti, ByteOrder.Little, "79 10 f8 ff 00 00 00 00 57 00 00 00 ff 00 00 00" },
        { 185, AttachType.TraceFexit, ByteOrder.Big, "79 01 ff f8 00 00 00 00 57 00 00 00 00 00 00 ff" },
        // bpf_get_func_ip: ldx ctx - 16.
        { 173, AttachType.TraceFsession, ByteOrder.Little, "79 10 f0 ff 00 00 00 00" },
        { 173, AttachType.TraceFentry, ByteOrder.Big, "79 01 ff f0 00 00 00 00" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Sequence_is_byte_exact(int helper, AttachType attach, ByteOrder order, string hex)
    {
        var template = KernelAbi.TracingHelperInline(helper, attach);
        Assert.NotNull(template);
        Assert.Equal(helper, template.HelperId);
        Assert.Equal(hex, Hex(InstructionEncoder.EncodeAll([.. template.Instructions], order)));
    }

    [Fact]
    public void Attach_type_picks_the_sequence_as_linux_7_2_does()
    {
        // get_func_ret: 7 instructions where the trampoline saves a return value (fexit.multi and fsession.multi seen in 7.2).
        foreach (var a in new[] { AttachType.TraceFexit, AttachType.ModifyReturn, AttachType.TraceFsession, AttachType.TraceFexitMulti, AttachType.TraceFsessionMulti })
        {
            Assert.Equal(7, KernelAbi.TracingHelperInline(184, a)!.Instructions.Count);
        }

        foreach (var a in new[] { AttachType.TraceFentry, AttachType.TraceFentryMulti, AttachType.TraceRawTp, AttachType.TraceIter })
        {
            Assert.Single(KernelAbi.TracingHelperInline(184, a)!.Instructions);
        }

        // The BPF_TRACE_RAW_TP forms take nr_args from the tracepoint's BTF: without it no template, the call is kept;
        // with it r0 = nr_args - 1 replaces the ctx[-1] load and mask.
        Assert.Null(KernelAbi.TracingHelperInline(183, AttachType.TraceRawTp));
        Assert.Null(KernelAbi.TracingHelperInline(185, AttachType.TraceRawTp));
        var rawArg = KernelAbi.TracingHelperInline(183, AttachType.TraceRawTp, 4)!.Instructions;
        Assert.Equal([Instruction.Alu64Imm(Opcodes.Mov, 0, 4), .. KernelAbi.TracingHelperInline(183, AttachType.TraceFentry)!.Instructions.Skip(2)], rawArg);
        Assert.Equal([Instruction.Alu64Imm(Opcodes.Mov, 0, 3)], KernelAbi.TracingHelperInline(185, AttachType.TraceRawTp, 3)!.Instructions);
        Assert.Equal(10, KernelAbi.TracingHelperInline(183, AttachType.TraceFentry, 4)!.Instructions.Count);
        Assert.Single(KernelAbi.TracingHelperInline(173, AttachType.TraceRawTp)!.Instructions);
        Assert.Equal(10, KernelAbi.TracingHelperInline(183, AttachType.TraceFentryMulti)!.Instructions.Count);
        Assert.Null(KernelAbi.TracingHelperInline(1, AttachType.TraceFentry));
        Assert.Equal([173, 183, 184, 185], KernelAbi.TracingHelperInlines.Select(t => t.HelperId).Distinct().Order());
    }

    [InteropFact(Mc, Objdump, Readelf)]
    public void Jumps_across_and_onto_the_calls_are_retargeted_in_both_byte_orders()
    {
        var (r, le) = Patch("bpfel", kernelInlines: true);
        Assert.Equal((6, 2), (r.Summary!.HelpersInlined, r.Summary.HelpersKept));
        Assert.Equal((56, 78), (r.Summary.SlotsBefore, r.Summary.SlotsAfter));
        Assert.Contains("inlined 6 helper call(s) as the kernel does, kept 2", r.Summary.Describe("helpers.o"), StringComparison.Ordinal);

        var exit = le.CodeSections.Single(s => s.Name == "fexit/vfs_read");
        var arg = KernelAbi.TracingHelperInline(183, AttachType.TraceFexit)!.Instructions;
        var ret = KernelAbi.TracingHelperInline(184, AttachType.TraceFexit)!.Instructions;
        Assert.Equal(arg, exit.Instructions.Skip(8).Take(10));
        Assert.Equal(ret, exit.Instructions.Skip(22).Take(7));
        Assert.Equal(KernelAbi.TracingHelperInline(173, AttachType.TraceFexit)!.Instructions, exit.Instructions.Skip(30).Take(1));
        // if r7 == 0 goto (the get_func_arg call): lands on the sequence's first instruction, slot 8.
        Assert.Equal(8, Target(exit, 6));
        // if r7 != 0 goto (after get_func_ret): across the 7 instructions to 'r1 = r6' at slot 29.
        Assert.Equal(29, Target(exit, 18));
        // if r7 < 3 goto (the get_func_arg call), backwards across three sequences: slot 8 again.
        Assert.Equal(8, Target(exit, 36));
        // The sequence's own jumps are the kernel's: jge32 +6 and ja +1 inside it.
        Assert.Equal((17, 18), (Target(exit, 10), Target(exit, 16)));

        var text = le.CodeSections.Single(s => s.Name == ".text");
        Assert.Equal(ret, text.Instructions.Skip(2).Take(7));                                  // same_ret: fexit and fmod_ret agree
        Assert.Equal(Instruction.Create(Opcodes.CallOp, 0, 0, 0, 184), text.Instructions[12]); // mixed_ret: fexit and fentry differ, kept
        Assert.Equal(Instruction.Alu64Imm(Opcodes.Mov, 0, -95), le.CodeSections.Single(s => s.Name == "fentry/vfs_read").Instructions[3]);
        Assert.Equal(Instruction.Create(Opcodes.CallOp, 0, 0, 0, 183), le.CodeSections.Single(s => s.Name == "tp_btf/sched_switch").Instructions[3]);
        Assert.Equal(Instruction.Create(Opcodes.CallOp, 0, 0, 0, 173), le.CodeSections.Single(s => s.Name == "kprobe/vfs_read").Instructions[0]);

        // The bpf-to-bpf calls still reach same_ret (slot 0) and mixed_ret (slot 10, after same_ret grew by 6).
        Assert.Equal([0, 10], le.Functions.Where(f => f.Section.IsText).Select(f => f.StartInsn));

        var (_, be) = Patch("bpfeb", kernelInlines: true);
        Assert.Equal(le.CodeSections.Select(c => (c.Name, string.Join(";", c.Instructions))), be.CodeSections.Select(c => (c.Name, string.Join(";", c.Instructions))));
    }

    [InteropFact(Mc, Objdump, Readelf)]
    public void With_the_kernels_btf_the_tp_btf_forms_are_inlined_with_the_tracepoints_argument_count()
    {
        // btf_trace_sched_switch: void (*)(void *__data, bool preempt, struct task_struct *prev, *next, unsigned int prev_state).
        var b = new BpfFixup.Tests.TestKit.KernelBtfBytes();
        int @int = b.Int("int", 4);
        int ptr = b.Ptr(0);
        b.Typedef("btf_trace_sched_switch", b.Ptr(b.Proto(0, ("__data", ptr), ("preempt", b.Int("_Bool", 1, signed: false)), ("prev", ptr), ("next", ptr), ("prev_state", @int))));
        var kernel = BpfFixup.Btf.KernelBtf.TryParse(b.Build(), "vmlinux", new BpfFixup.Diagnostics.DiagnosticBag())!;

        var (r, le) = Patch("bpfel", kernelInlines: true, kernel);
        Assert.Equal((7, 1), (r.Summary!.HelpersInlined, r.Summary.HelpersKept));
        var tp = le.CodeSections.Single(s => s.Name == "tp_btf/sched_switch");
        // do_misc_fixups, BPF_TRACE_RAW_TP: r0 = nr_args - 1 = 4, then get_func_arg's bounds check and load (Linux 7.2's xlated).
        Assert.Equal("b7 00 00 00 04 00 00 00 3e 02 06 00 00 00 00 00 67 02 00 00 03 00 00 00 0f 12 00 00 00 00 00 00 79 20 00 00 00 00 00 00 7b 03 00 00 00 00 00 00 b7 00 00 00 00 00 00 00 05 00 01 00 00 00 00 00 b7 00 00 00 ea ff ff ff",
            Hex(InstructionEncoder.EncodeAll([.. tp.Instructions.Skip(3).Take(9)], ByteOrder.Little)));
        Assert.Equal(Instruction.Alu64Imm(Opcodes.Mov, 0, 0), tp.Instructions[12]);

        var (_, be) = Patch("bpfeb", kernelInlines: true, kernel);
        Assert.Equal(le.CodeSections.Select(c => (c.Name, string.Join(";", c.Instructions))), be.CodeSections.Select(c => (c.Name, string.Join(";", c.Instructions))));
    }

    [InteropFact(Mc, Objdump, Readelf)]
    public void Without_the_option_the_helper_calls_stay()
    {
        var obj = TestHelpers.Load(Assemble("bpfel"), "helpers.o");
        var r = ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(obj), new RewriteOptions());
        Assert.True(r.Summary!.Unchanged);
        Assert.Equal(obj.Elf.Original, r.Output);
        Assert.DoesNotContain("helper", r.Summary.Describe("x.o"), StringComparison.Ordinal);
    }

    [Fact]
    public void Samples_change_with_the_option_only_where_a_tracing_program_calls_the_helpers()
    {
        foreach (string path in TestPaths.AllSamples())
        {
            string name = Path.GetFileName(path);
            var analysis = ObjectAnalyzer.Analyze(TestHelpers.LoadSample(name));
            var plain = ObjectRewriter.Rewrite(analysis, new RewriteOptions());
            var inlined = ObjectRewriter.Rewrite(analysis, new RewriteOptions { KernelInlines = true });
            Assert.True(plain.Output is null == inlined.Output is null, name);
            // session_runtime's sess_test1 calls get_func_arg, get_func_ret and get_func_ip twice; helpers_tracing has 12 calls.
            int expected = name.StartsWith("session_runtime", StringComparison.Ordinal) ? 4 : name.StartsWith("helpers_tracing", StringComparison.Ordinal) ? 12 : 0;
            bool calls = expected > 0;
            if (plain.Output is null)
            {
                continue;
            }

            Assert.True(calls != plain.Output.AsSpan().SequenceEqual(inlined.Output), $"{name}: with --kernel-inlines the output {(calls ? "should" : "should not")} change");
            Assert.Equal(expected, inlined.Summary!.HelpersInlined);
            Assert.Equal(0, plain.Summary!.HelpersInlined);
        }
    }

    private static int Target(CodeSection s, int insn) => insn + 1 + s.Instructions[insn].JumpDistance;

    private static byte[] Assemble(string triple) => BpfFixup.Tests.TestKit.Asm.AssembleTestSource("Rewrite", "helpers", triple, "-mcpu=v4");

    /// <summary>Assembles and patches; the LLVM tools must read the output cleanly and it must load again.</summary>
    private (RewriteResult Result, BpfObject Patched) Patch(string triple, bool kernelInlines, BpfFixup.Btf.KernelBtf? kernel = null)
    {
        var obj = TestHelpers.Load(Assemble(triple), "helpers.o");
        var result = ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(obj), new RewriteOptions { KernelInlines = kernelInlines, KernelBtf = kernel });
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        string output = Path.Combine(temp, $"helpers-{triple}.patched.o");
        File.WriteAllBytes(output, result.Output!);
        foreach (var (tool, args) in new[] { (Objdump, new[] { "-dr", output }), (Readelf, new[] { "-a", output }) })
        {
            var run = ExternalTool.Run(tool, args);
            Assert.True(run.ExitCode == 0 && run.Stderr.Length == 0, $"{tool} exited {run.ExitCode}: {run.Stderr}");
        }

        var reloaded = TestHelpers.Load(result.Output!, output);
        Assert.Empty(reloaded.Diagnostics);
        return (result, reloaded);
    }

    private static string Hex(byte[] bytes) => string.Join(" ", bytes.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
