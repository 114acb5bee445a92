// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Elf;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Elf;

/// <summary>Names are bounded (KSYM_NAME_LEN for symbols and types, PATH_MAX for sections) and only that much is scanned (issue 8).</summary>
public class StringTableTests
{
    [Fact]
    public void A_name_up_to_the_limit_is_read()
    {
        var table = Encoding.UTF8.GetBytes("\0" + new string('a', StringTable.MaxSymbolName) + "\0");
        Assert.True(StringTable.TryGet(table, 1, out var name, StringTable.MaxSymbolName));
        Assert.Equal(StringTable.MaxSymbolName, name.Length);
    }

    [Fact]
    public void A_longer_name_is_refused_and_said_so()
    {
        var table = Encoding.UTF8.GetBytes("\0" + new string('a', StringTable.MaxSymbolName + 1) + "\0");
        Assert.False(StringTable.TryGet(table, 1, out _, StringTable.MaxSymbolName));
        Assert.Equal("names a string longer than 511 bytes", StringTable.Problem(table, 1, StringTable.MaxSymbolName));
    }

    [Fact]
    public void Unterminated_and_out_of_range_are_told_apart()
    {
        var table = "\0abc"u8.ToArray();
        Assert.False(StringTable.TryGet(table, 1, out _));
        Assert.Equal("is unterminated", StringTable.Problem(table, 1, StringTable.MaxSymbolName));
        Assert.Equal("is outside the string table", StringTable.Problem(table, 9, StringTable.MaxSymbolName));
    }

    [Fact]
    public void A_symbol_name_longer_than_ksym_name_len_is_named_by_the_reader()
    {
        var b = new BpfObjectBuilder();
        var s = b.Section("kprobe/x");
        s.Add(Asm.MovImm(0, 0));
        s.Add(Asm.Exit());
        b.Function("kprobe/x", new string('f', 600), 0, global: true);
        var diags = new Diagnostics.DiagnosticBag();
        Assert.False(ElfReader.TryRead(b.Build(), "x.o", diags, out _));
        Assert.Matches(@"^symbol \d+ at 0x[0-9a-f]+: st_name 0x[0-9a-f]+ names a string longer than 511 bytes$", Assert.Single(diags.Items).Message);
    }
}
