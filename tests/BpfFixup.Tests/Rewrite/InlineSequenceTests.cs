// SPDX-License-Identifier: MIT
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Model;
using BpfFixup.Rewrite;

namespace BpfFixup.Tests.Rewrite;

/// <summary>
/// The inline sequences byte for byte, against fixup_kfunc_call in kernel/bpf/verifier.c (merged, shifts 63 and 8) and
/// the v9 posting of the fsession series (shifts 8 and 9), in both byte orders (include/uapi/linux/bpf.h's bitfields: BE
/// puts dst in the high nibble).
/// </summary>
public class InlineSequenceTests
{
    // Little-endian rows: code, regs (src<<4|dst), off LE, imm LE.
    private const string LdxLe = "79 10 f8 ff 00 00 00 00";
    private const string AndOneLe = "57 00 00 00 01 00 00 00";
    private const string AndFfLe = "57 00 00 00 ff 00 00 00";
    private const string LshLe = "67 00 00 00 03 00 00 00";
    private const string SubLe = "1f 10 00 00 00 00 00 00";
    private const string NegLe = "87 00 00 00 00 00 00 00";

    // Big-endian rows: regs (dst<<4|src), off BE, imm BE.
    private const string LdxBe = "79 01 ff f8 00 00 00 00";
    private const string AndOneBe = "57 00 00 00 00 00 00 01";
    private const string AndFfBe = "57 00 00 00 00 00 00 ff";
    private const string LshBe = "67 00 00 00 00 00 00 03";
    private const string SubBe = "1f 01 00 00 00 00 00 00";
    private const string NegBe = "87 00 00 00 00 00 00 00";

    public static TheoryData<string, ByteOrder, string[]> IsReturnRows => new()
    {
        { "linux-7.0", ByteOrder.Little, [LdxLe, "77 00 00 00 3f 00 00 00", AndOneLe] },
        { "linux-7.0", ByteOrder.Big, [LdxBe, "77 00 00 00 00 00 00 3f", AndOneBe] },
        { "patch-v9", ByteOrder.Little, [LdxLe, "77 00 00 00 08 00 00 00", AndOneLe] },
        { "patch-v9", ByteOrder.Big, [LdxBe, "77 00 00 00 00 00 00 08", AndOneBe] },
    };

    public static TheoryData<string, ByteOrder, string[]> CookieRows => new()
    {
        { "linux-7.0", ByteOrder.Little, [LdxLe, "77 00 00 00 08 00 00 00", AndFfLe, LshLe, SubLe, NegLe] },
        { "linux-7.0", ByteOrder.Big, [LdxBe, "77 00 00 00 00 00 00 08", AndFfBe, LshBe, SubBe, NegBe] },
        { "patch-v9", ByteOrder.Little, [LdxLe, "77 00 00 00 09 00 00 00", AndFfLe, LshLe, SubLe, NegLe] },
        { "patch-v9", ByteOrder.Big, [LdxBe, "77 00 00 00 00 00 00 09", AndFfBe, LshBe, SubBe, NegBe] },
    };

    [Theory]
    [MemberData(nameof(IsReturnRows))]
    public void Is_return_sequence_is_byte_exact(string abi, ByteOrder order, string[] rows)
    {
        var template = KernelAbi.Find(abi)!.IsReturn;
        Assert.Equal(SessionKfunc.IsReturn, template.Kfunc);
        Assert.Equal(Hex(rows), Hex(InstructionEncoder.EncodeAll([.. template.Instructions], order)));
    }

    [Theory]
    [MemberData(nameof(CookieRows))]
    public void Cookie_sequence_is_byte_exact(string abi, ByteOrder order, string[] rows)
    {
        var template = KernelAbi.Find(abi)!.Cookie;
        Assert.Equal(SessionKfunc.Cookie, template.Kfunc);
        Assert.Equal(Hex(rows), Hex(InstructionEncoder.EncodeAll([.. template.Instructions], order)));
    }

    [Fact]
    public void Table_holds_exactly_the_two_documented_abis_and_the_default_is_linux_7_0()
    {
        Assert.Equal(["linux-7.0", "patch-v9"], KernelAbi.Table.Select(a => a.Name));
        Assert.Equal((63, 8), (KernelAbi.Default.IsReturnShift, KernelAbi.Default.CookieIndexShift));
        Assert.Equal((8, 9), (KernelAbi.Find("patch-v9")!.IsReturnShift, KernelAbi.Find("patch-v9")!.CookieIndexShift));
        Assert.Null(KernelAbi.Find("linux-6.18"));
        Assert.Equal("linux-7.0", new RewriteOptions().Abi.Name);
    }

    [Fact]
    public void TemplateFor_picks_the_sequence_by_kfunc()
    {
        var abi = KernelAbi.Default;
        Assert.Equal(3, abi.TemplateFor(SessionKfunc.IsReturn).Instructions.Count);
        Assert.Equal(6, abi.TemplateFor(SessionKfunc.Cookie).Instructions.Count);
    }

    [Fact]
    public void WithOverrides_changes_only_the_shift_immediates_and_names_the_result()
    {
        var abi = KernelAbi.Default.WithOverrides(12, 40);
        Assert.Equal("linux-7.0+is_return_shift=12,cookie_index_shift=40", abi.Name);
        Assert.Equal(Hex([LdxLe, "77 00 00 00 0c 00 00 00", AndOneLe]), Hex(InstructionEncoder.EncodeAll([.. abi.IsReturn.Instructions], ByteOrder.Little)));
        Assert.Equal(Hex([LdxLe, "77 00 00 00 28 00 00 00", AndFfLe, LshLe, SubLe, NegLe]), Hex(InstructionEncoder.EncodeAll([.. abi.Cookie.Instructions], ByteOrder.Little)));

        var one = KernelAbi.Find("patch-v9")!.WithOverrides(null, 16);
        Assert.Equal((8, 16), (one.IsReturnShift, one.CookieIndexShift));
        Assert.Equal("patch-v9+is_return_shift=8,cookie_index_shift=16", one.Name);
        Assert.Equal(Hex([LdxBe, "77 00 00 00 00 00 00 10", AndFfBe, LshBe, SubBe, NegBe]), Hex(InstructionEncoder.EncodeAll([.. one.Cookie.Instructions], ByteOrder.Big)));

        var other = KernelAbi.Default.WithOverrides(7, null);
        Assert.Equal((7, 8), (other.IsReturnShift, other.CookieIndexShift));
    }

    [Fact]
    public void WithOverrides_without_values_is_the_same_abi()
    {
        Assert.Same(KernelAbi.Default, KernelAbi.Default.WithOverrides(null, null));
    }

    private static string Hex(string[] rows) => string.Join(" ", rows);

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant().Chunk(2).Select(c => new string(c)).Aggregate((a, b) => a + " " + b);
}
