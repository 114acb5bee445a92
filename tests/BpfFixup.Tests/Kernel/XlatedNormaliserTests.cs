// SPDX-License-Identifier: MIT
namespace BpfFixup.Tests.Kernel;

/// <summary>
/// The normaliser on xlated streams Linux 7.2 returned (TestData/Kernel/xlated, copied from a kernel-tier record), so
/// that it is tested on every run, with or without QEMU: the recorded streams align, and every kind of damage fails.
/// </summary>
public sealed class XlatedNormaliserTests
{
    [Theory]
    [InlineData("session_basic-el.o", "fsync_count", "None 13, MapId 1")]
    [InlineData("session_basic-el.o", "unlink_entry", "None 8, HelperAddress 1, MapId 4, DeadCodeRemoved 4")]
    [InlineData("session_runtime-el.o", "sess_test1", "None 56, MapId 11, HelperInlined 4")]
    [InlineData("session_subprog-el.o", "read_sess", "None 65, JumpRetargeted 2, SubprogCallEncoded 2, CallbackAddress 1, HelperAddress 2, MapId 4, HelperInlined 1, LoopInlined 1")]
    [InlineData("session_kprobe-el.o", "kunlink_sess", "None 15, KfuncAddress 2, MapId 2, KsymAddress 1, CoreRelocation 2, DeadCodeRemoved 4")]
    public void Recorded_streams_align_with_the_patched_program(string objectName, string program, string rewrites)
    {
        var (linked, kernel) = Load(objectName, program);
        var comparison = XlatedNormaliser.Compare(linked, kernel);
        Assert.True(comparison.Problems.Count == 0, string.Join("\n", comparison.Problems) + "\n" + comparison.Listing);
        Assert.Equal(rewrites, string.Join(", ", comparison.RewriteCounts.Select(kv => $"{kv.Key} {kv.Value}")));
    }

    [Fact]
    public void Any_changed_bit_in_an_inline_session_sequence_fails()
    {
        var (linked, kernel) = Load("session_runtime-el.o", "sess_test1");
        var steps = XlatedNormaliser.Compare(linked, kernel).Steps;
        var sites = steps.Where(s => linked.Instructions[s.Linked].InlinedKfunc is not null).ToList();
        Assert.Equal(9, sites.Count); // cookie (6) and is_return (3)
        foreach (var s in sites)
        {
            foreach (int bit in new[] { 0, 9, 12, 16, 32, 33, 63 })
            {
                var damaged = (byte[])kernel.Clone();
                int at = (Slot(kernel, s.KernelStart) * 8) + (bit / 8);
                damaged[at] ^= (byte)(1 << (bit % 8));
                var c = XlatedNormaliser.Compare(linked, damaged);
                bool siteStillExact = c.Steps.Count > 0 && c.Steps.Where(x => linked.Instructions[x.Linked].InlinedKfunc is not null).All(x => x.Rewrite == KernelRewrite.None);
                Assert.True(c.Problems.Count > 0 || !siteStillExact, $"bit {bit} of kernel instruction {s.KernelStart} changed, and the comparison still passes");
            }
        }
    }

    [Fact]
    public void A_changed_helper_inline_fails()
    {
        var (linked, kernel) = Load("session_runtime-el.o", "sess_test1");
        var inline = XlatedNormaliser.Compare(linked, kernel).Steps.First(s => s.Rewrite == KernelRewrite.HelperInlined && s.KernelCount == 10);
        var damaged = (byte[])kernel.Clone();
        damaged[(Slot(kernel, inline.KernelStart + 2) * 8) + 2] ^= 1; // the bounds check's offset: goto +6 becomes +7
        Assert.NotEmpty(XlatedNormaliser.Compare(linked, damaged).Problems);
    }

    [Fact]
    public void A_jump_to_another_place_fails()
    {
        var (linked, kernel) = Load("session_subprog-el.o", "read_sess");
        foreach (var step in XlatedNormaliser.Compare(linked, kernel).Steps.Where(s => s.Rewrite is KernelRewrite.JumpRetargeted or KernelRewrite.SubprogCallEncoded))
        {
            var damaged = (byte[])kernel.Clone();
            damaged[(Slot(kernel, step.KernelStart) * 8) + 2] += 1;
            Assert.NotEmpty(XlatedNormaliser.Compare(linked, damaged).Problems);
        }
    }

    [Fact]
    public void A_missing_instruction_that_was_not_dead_fails()
    {
        var (linked, kernel) = Load("session_basic-el.o", "fsync_count");
        for (int slot = 0; slot < kernel.Length / 8; slot++)
        {
            if (slot > 0 && kernel[(slot * 8) - 8] == 0x95)
            {
                continue; // after exit: that could be dead code
            }

            byte code = kernel[slot * 8];
            if (code == 0x18 || (code & 0x07) is 0x05 or 0x06)
            {
                continue; // half of an ld_imm64; a jump, which may vanish as a hard-wired branch (opt_remove_nops)
            }

            var damaged = kernel.Take(slot * 8).Concat(kernel.Skip((slot + 1) * 8)).ToArray();
            var c = XlatedNormaliser.Compare(linked, damaged);
            Assert.True(c.Problems.Count > 0, $"kernel slot {slot} removed, and the comparison still passes:\n{c.Listing}");
        }
    }

    [Fact]
    public void An_extra_instruction_fails()
    {
        var (linked, kernel) = Load("session_basic-el.o", "fsync_count");
        byte[] extra = [0xb7, 0x00, 0, 0, 0, 0, 0, 0]; // r0 = 0
        var damaged = kernel.Take(8).Concat(extra).Concat(kernel.Skip(8)).ToArray();
        Assert.NotEmpty(XlatedNormaliser.Compare(linked, damaged).Problems);
    }

    private static (LinkedProgram Linked, byte[] Kernel) Load(string objectName, string program)
    {
        var run = ProductRun.Of(objectName);
        var linked = LinkedProgram.Build(run.PatchedObject(), program, run.Patch.Rewrite!.Inlined);
        string file = Path.Combine(AppContext.BaseDirectory, "TestData", "Kernel", "xlated", $"{objectName}.{program}.hex");
        string hex = string.Concat(File.ReadAllLines(file).Where(l => l.Length > 0 && l[0] != '#'));
        return (linked, Convert.FromHexString(hex));
    }

    /// <summary>The slot of instruction <paramref name="index"/> (ld_imm64 takes two).</summary>
    private static int Slot(byte[] kernel, int index)
    {
        int slot = 0;
        for (int i = 0; i < index; i++)
        {
            slot += kernel[slot * 8] == 0x18 ? 2 : 1;
        }

        return slot;
    }
}
