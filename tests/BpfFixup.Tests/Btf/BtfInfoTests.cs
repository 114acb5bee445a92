// SPDX-License-Identifier: MIT
using BpfFixup.Btf;

namespace BpfFixup.Tests.Btf;

public class BtfInfoTests
{
    [Theory]
    [InlineData("session_basic-el.o")]
    [InlineData("session_basic-eb.o")]
    [InlineData("session_basic-linked.o")]
    public void Ksyms_datasec_names_the_kfunc_externs(string name)
    {
        var btf = TestHelpers.LoadSample(name).Btf!;
        Assert.Equal(["bpf_session_cookie", "bpf_session_is_return"], btf.KsymFuncs().Order(StringComparer.Ordinal));
        var cookie = btf.FindFunc("bpf_session_cookie")!;
        Assert.Equal(BtfKind.Func, cookie.Kind);
        Assert.Equal("extern", cookie.Linkage);
        Assert.Equal(1, btf.ParameterCount(cookie));
    }

    [Fact]
    public void Old_prototype_has_no_parameter_and_arg_ctx_tag_is_found()
    {
        var old = TestHelpers.LoadSample("session_oldproto-el.o").Btf!;
        Assert.Equal(0, old.ParameterCount(old.FindFunc("bpf_session_is_return")!));

        var global = TestHelpers.LoadSample("session_global-el.o").Btf!;
        var tagged = global.FindFunc("tagged_is_exit")!;
        Assert.Equal(["arg:ctx"], global.ParameterTags(tagged.Id, 0));
        Assert.Empty(global.ParameterTags(global.FindFunc("untagged_is_exit")!.Id, 0));
    }
}
