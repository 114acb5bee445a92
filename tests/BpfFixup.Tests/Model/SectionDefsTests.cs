// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Model;

namespace BpfFixup.Tests.Model;

/// <summary>The tracing-multi section kinds of Linux 7.2 / libbpf 1.8.</summary>
public class SectionDefsTests
{
    [Theory]
    [InlineData("fentry.multi", AttachType.TraceFentryMulti, false)]
    [InlineData("fentry.multi/bpf_fentry_test*", AttachType.TraceFentryMulti, false)]
    [InlineData("fexit.multi/bpf_fentry_test1", AttachType.TraceFexitMulti, false)]
    [InlineData("fsession.multi/bpf_fentry_test*", AttachType.TraceFsessionMulti, false)]
    [InlineData("fentry.multi.s/x", AttachType.TraceFentryMulti, true)]
    [InlineData("fexit.multi.s/x", AttachType.TraceFexitMulti, true)]
    [InlineData("fsession.multi.s/x", AttachType.TraceFsessionMulti, true)]
    [InlineData("fsession/x", AttachType.TraceFsession, false)]
    [InlineData("fentry/x", AttachType.TraceFentry, false)]
    public void Multi_sections_resolve(string section, AttachType attach, bool sleepable)
    {
        var def = SectionDefs.Find(section);
        Assert.NotNull(def);
        Assert.Equal((ProgramType.Tracing, attach, sleepable), (def!.ProgramType, def.AttachType, def.Sleepable));
    }

    [Theory]
    [InlineData("fentry.multix")]
    [InlineData("fsession.multiple/x")]
    public void Near_misses_do_not_match(string section) => Assert.Null(SectionDefs.Find(section));

    [Fact]
    public void Uapi_numbers_and_names()
    {
        Assert.Equal((59, 60, 61), ((int)AttachType.TraceFentryMulti, (int)AttachType.TraceFexitMulti, (int)AttachType.TraceFsessionMulti));
        Assert.Equal("BPF_TRACE_FSESSION_MULTI", TypeNames.EnumName(AttachType.TraceFsessionMulti));
        Assert.Equal("trace_fentry_multi", TypeNames.Of(AttachType.TraceFentryMulti));
    }

    [Fact]
    public void Only_fsession_kinds_may_call_and_inline_the_session_kfuncs()
    {
        var multi = SectionDefs.Find("fsession.multi/x");
        Assert.True(SessionKfuncRules.MayCall(multi) && SessionKfuncRules.Inlines(multi));
        Assert.True(SessionKfuncRules.Inlines(SectionDefs.Find("fsession.multi.s/x")));
        foreach (var other in new[] { "fentry.multi/x", "fexit.multi/x", "fentry.multi.s/x" })
        {
            Assert.False(SessionKfuncRules.MayCall(SectionDefs.Find(other)), other);
        }
    }
}
