// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Rewrite;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Rewrite;

/// <summary>bpf_patch_insn_single (kernel/bpf/core.c): a jump whose 16-bit offset no longer fits after the patch is an error.</summary>
public class JumpRangeTests
{
    internal static byte[] Build(int filler, bool longJump)
    {
        var b = new BpfObjectBuilder();
        var s = b.Section("fsession/vfs_read");
        s.Add(Asm.MovReg(6, 1));
        s.Add(Asm.MovImm(7, 0));
        int jump = s.Add(longJump ? Asm.GotoLong(0) : Asm.JumpImm(Opcodes.Jeq, 7, 0, 0));
        s.Add(Asm.MovReg(1, 6));
        int call = s.Add(Asm.CallRelocated());
        for (int i = 0; i < filler; i++)
        {
            s.Add(Asm.MovImm(7, i));
        }

        int target = s.Add(Asm.MovImm(0, 0));
        s.Add(Asm.Exit());
        int distance = target - jump - 1;
        s.Instructions[jump] = s.Instructions[jump].WithJumpDistance(distance);
        b.Function("fsession/vfs_read", "prog", 0, global: true).Extern("bpf_session_cookie").Relocate("fsession/vfs_read", call, "bpf_session_cookie", BpfRelocationType.R64_32);
        return b.Build();
    }

    [Fact]
    public void Jump_that_still_fits_after_the_patch_is_fixed()
    {
        // distance 32767 - 5 before, 32767 after the 6-instruction cookie sequence.
        var r = ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(TestHelpers.Load(Build(short.MaxValue - 7, false), "fits.o")), new RewriteOptions());
        Assert.False(r.HasErrors, string.Join("\n", r.Diagnostics));
        var code = TestHelpers.Load(r.Output!, "out").CodeSections.Single(c => c.Name == "fsession/vfs_read");
        Assert.Equal(short.MaxValue, code.Instructions[2].Offset);
    }

    [Fact]
    public void Jump_that_no_longer_fits_is_an_error_in_the_kernel_wording()
    {
        var r = ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(TestHelpers.Load(Build(short.MaxValue - 6, false), "overflow.o")), new RewriteOptions());
        Assert.Null(r.Output);
        var e = Assert.Single(r.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(DiagnosticIds.JumpRange, e.Id);
        Assert.StartsWith("insn 2 cannot be patched due to 16-bit range", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gotol_has_a_32_bit_range()
    {
        var r = ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(TestHelpers.Load(Build(short.MaxValue, true), "gotol.o")), new RewriteOptions());
        Assert.False(r.HasErrors, string.Join("\n", r.Diagnostics));
        var code = TestHelpers.Load(r.Output!, "out").CodeSections.Single(c => c.Name == "fsession/vfs_read");
        Assert.Equal(short.MaxValue + 2 + 5, code.Instructions[2].Imm); // 32769 before, plus the 5 extra cookie instructions
    }
}
