// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Model;
using BpfFixup.Rewrite;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Rewrite;

/// <summary>
/// EditableSection.WriteTo copies a run of carried-over instructions as one block of input bytes and writes the derived
/// fields over it: a run that ends in an ld_imm64 (two slots) right before a session site, a jump whose offset changes
/// inside a run, and the inline sequences between runs, in both byte orders, give the instructions one at a time would.
/// </summary>
public class SectionWriteTests
{
    private const long First = 0x1122334455667788;
    private const long Second = 0x0102030405060708;

    private static byte[] Build(ByteOrder order)
    {
        var b = new BpfObjectBuilder(order);
        var s = b.Section("fsession/vfs_read");
        s.Add(Asm.MovReg(6, 1));
        s.Add(Instruction.LoadImm64(2, 0, First));
        int isReturn = s.Add(Asm.CallRelocated());
        s.Add(Asm.MovReg(7, 0));
        s.Add(Asm.JumpImm(Opcodes.Jeq, 7, 0, 4)); // over r1 = r6, the ld_imm64 and the cookie call, to r0 = 0
        s.Add(Asm.MovReg(1, 6));
        s.Add(Instruction.LoadImm64(2, 0, Second));
        int cookie = s.Add(Asm.CallRelocated());
        s.Add(Asm.MovImm(0, 0));
        s.Add(Asm.Exit());
        b.Function("fsession/vfs_read", "prog", 0, global: true)
            .Extern("bpf_session_is_return").Extern("bpf_session_cookie")
            .Relocate("fsession/vfs_read", isReturn, "bpf_session_is_return", BpfRelocationType.R64_32)
            .Relocate("fsession/vfs_read", cookie, "bpf_session_cookie", BpfRelocationType.R64_32);
        return b.Build();
    }

    [Theory]
    [InlineData(ByteOrder.Little)]
    [InlineData(ByteOrder.Big)]
    public void Runs_ending_in_an_ld_imm64_and_a_moved_jump_are_written_as_one_instruction_at_a_time_would(ByteOrder order)
    {
        var options = new RewriteOptions();
        var r = ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(TestHelpers.Load(Build(order), "runs.o")), options);
        Assert.False(r.HasErrors, string.Join("\n", r.Diagnostics));
        var isReturn = options.Abi.TemplateFor(SessionKfunc.IsReturn).Instructions;
        var cookie = options.Abi.TemplateFor(SessionKfunc.Cookie).Instructions;
        int cookieSlots = cookie.Sum(i => i.Width);
        Instruction[] expected =
        [
            Asm.MovReg(6, 1), Instruction.LoadImm64(2, 0, First), .. isReturn,
            Asm.MovReg(7, 0), Asm.JumpImm(Opcodes.Jeq, 7, 0, (short)(3 + cookieSlots)),
            Asm.MovReg(1, 6), Instruction.LoadImm64(2, 0, Second), .. cookie,
            Asm.MovImm(0, 0), Asm.Exit(),
        ];
        var code = TestHelpers.Load(r.Output!, "out").CodeSections.Single(c => c.Name == "fsession/vfs_read");
        Assert.Equal(expected.Select(i => i.ToString()), Enumerable.Range(0, code.Instructions.Length).Select(k => code.Instructions[k].ToString()));
        Assert.Equal(expected.Sum(i => i.Width), code.SlotCount);
        Assert.Equal(InstructionEncoder.EncodeAll(expected, order), code.Elf.Memory.ToArray());
    }
}
