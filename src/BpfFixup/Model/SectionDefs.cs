// SPDX-License-Identifier: MIT
using static BpfFixup.Model.AttachType;
using PT = BpfFixup.Model.ProgramType;

namespace BpfFixup.Model;

/// <summary>
/// libbpf's section table (tools/lib/bpf/libbpf.c <c>section_defs[]</c>), in libbpf's order (first match
/// wins), with the fsession rows of the Linux 7.0 series (libbpf patch of 'bpf: add fsession support': fsession+, fsession.s+).
/// </summary>
public static class SectionDefs
{
    /// <summary>All rows in libbpf order.</summary>
    public static IReadOnlyList<SectionDef> All { get; } =
    [
        new("socket", PT.SocketFilter, null, false),
        new("sk_reuseport/migrate", PT.SkReuseport, SkReuseportSelectOrMigrate, false),
        new("sk_reuseport", PT.SkReuseport, SkReuseportSelect, false),
        new("kprobe+", PT.Kprobe, null, false),
        new("uprobe+", PT.Kprobe, null, false),
        new("uprobe.s+", PT.Kprobe, null, true),
        new("kretprobe+", PT.Kprobe, null, false),
        new("uretprobe+", PT.Kprobe, null, false),
        new("uretprobe.s+", PT.Kprobe, null, true),
        new("kprobe.multi+", PT.Kprobe, TraceKprobeMulti, false),
        new("kretprobe.multi+", PT.Kprobe, TraceKprobeMulti, false),
        new("kprobe.session+", PT.Kprobe, TraceKprobeSession, false),
        new("uprobe.multi+", PT.Kprobe, TraceUprobeMulti, false),
        new("uretprobe.multi+", PT.Kprobe, TraceUprobeMulti, false),
        new("uprobe.session+", PT.Kprobe, TraceUprobeSession, false),
        new("uprobe.multi.s+", PT.Kprobe, TraceUprobeMulti, true),
        new("uretprobe.multi.s+", PT.Kprobe, TraceUprobeMulti, true),
        new("uprobe.session.s+", PT.Kprobe, TraceUprobeSession, true),
        new("ksyscall+", PT.Kprobe, null, false),
        new("kretsyscall+", PT.Kprobe, null, false),
        new("usdt+", PT.Kprobe, null, false),
        new("usdt.s+", PT.Kprobe, null, true),
        new("tc/ingress", PT.SchedCls, TcxIngress, false),
        new("tc/egress", PT.SchedCls, TcxEgress, false),
        new("tcx/ingress", PT.SchedCls, TcxIngress, false),
        new("tcx/egress", PT.SchedCls, TcxEgress, false),
        new("tc", PT.SchedCls, null, false),
        new("classifier", PT.SchedCls, null, false),
        new("action", PT.SchedAct, null, false),
        new("netkit/primary", PT.SchedCls, NetkitPrimary, false),
        new("netkit/peer", PT.SchedCls, NetkitPeer, false),
        new("tracepoint+", PT.Tracepoint, null, false),
        new("tp+", PT.Tracepoint, null, false),
        new("raw_tracepoint+", PT.RawTracepoint, null, false),
        new("raw_tp+", PT.RawTracepoint, null, false),
        new("raw_tracepoint.w+", PT.RawTracepointWritable, null, false),
        new("raw_tp.w+", PT.RawTracepointWritable, null, false),
        new("tp_btf+", PT.Tracing, TraceRawTp, false),
        new("fentry+", PT.Tracing, TraceFentry, false),
        new("fmod_ret+", PT.Tracing, ModifyReturn, false),
        new("fexit+", PT.Tracing, TraceFexit, false),
        new("fentry.s+", PT.Tracing, TraceFentry, true),
        new("fmod_ret.s+", PT.Tracing, ModifyReturn, true),
        new("fexit.s+", PT.Tracing, TraceFexit, true),
        new("fsession+", PT.Tracing, TraceFsession, false),
        new("fsession.s+", PT.Tracing, TraceFsession, true),
        // Linux 7.2 / libbpf 1.8 tracing-multi programs: one program on many BTF functions (SEC("fentry.multi"),
        // SEC("fsession.multi/bpf_fentry_test*"), as the 7.2 selftests write them). The rows' names, types and
        // sleepable forms are from bpftool 7.8's behaviour (the kernel tier, tests/BpfFixup.Tests/Kernel) and the selftests; libbpf 1.8's own
        // section_defs[] text is not in the index (an earlier, unmerged series had fmod_ret.multi too: 7.2 has no
        // such attach type). sec_def_matches makes "fentry+" not match "fentry.multi/...", so the order is free.
        new("fentry.multi+", PT.Tracing, TraceFentryMulti, false),
        new("fexit.multi+", PT.Tracing, TraceFexitMulti, false),
        new("fsession.multi+", PT.Tracing, TraceFsessionMulti, false),
        new("fentry.multi.s+", PT.Tracing, TraceFentryMulti, true),
        new("fexit.multi.s+", PT.Tracing, TraceFexitMulti, true),
        new("fsession.multi.s+", PT.Tracing, TraceFsessionMulti, true),
        new("freplace+", PT.Ext, null, false),
        new("lsm+", PT.Lsm, LsmMac, false),
        new("lsm.s+", PT.Lsm, LsmMac, true),
        new("lsm_cgroup+", PT.Lsm, LsmCgroup, false),
        new("iter+", PT.Tracing, TraceIter, false),
        new("iter.s+", PT.Tracing, TraceIter, true),
        new("syscall", PT.Syscall, null, true),
        new("xdp.frags/devmap", PT.Xdp, XdpDevmap, false),
        new("xdp/devmap", PT.Xdp, XdpDevmap, false),
        new("xdp.frags/cpumap", PT.Xdp, XdpCpumap, false),
        new("xdp/cpumap", PT.Xdp, XdpCpumap, false),
        new("xdp.frags", PT.Xdp, Xdp, false),
        new("xdp", PT.Xdp, Xdp, false),
        new("perf_event", PT.PerfEvent, null, false),
        new("lwt_in", PT.LwtIn, null, false),
        new("lwt_out", PT.LwtOut, null, false),
        new("lwt_xmit", PT.LwtXmit, null, false),
        new("lwt_seg6local", PT.LwtSeg6local, null, false),
        new("sockops", PT.SockOps, CgroupSockOps, false),
        new("sk_skb/stream_parser", PT.SkSkb, SkSkbStreamParser, false),
        new("sk_skb/stream_verdict", PT.SkSkb, SkSkbStreamVerdict, false),
        new("sk_skb/verdict", PT.SkSkb, SkSkbVerdict, false),
        new("sk_skb", PT.SkSkb, null, false),
        new("sk_msg", PT.SkMsg, SkMsgVerdict, false),
        new("lirc_mode2", PT.LircMode2, LircMode2, false),
        new("flow_dissector", PT.FlowDissector, FlowDissector, false),
        new("cgroup_skb/ingress", PT.CgroupSkb, CgroupInetIngress, false),
        new("cgroup_skb/egress", PT.CgroupSkb, CgroupInetEgress, false),
        new("cgroup/skb", PT.CgroupSkb, null, false),
        new("cgroup/sock_create", PT.CgroupSock, CgroupInetSockCreate, false),
        new("cgroup/sock_release", PT.CgroupSock, CgroupInetSockRelease, false),
        new("cgroup/sock", PT.CgroupSock, CgroupInetSockCreate, false),
        new("cgroup/post_bind4", PT.CgroupSock, CgroupInet4PostBind, false),
        new("cgroup/post_bind6", PT.CgroupSock, CgroupInet6PostBind, false),
        new("cgroup/bind4", PT.CgroupSockAddr, CgroupInet4Bind, false),
        new("cgroup/bind6", PT.CgroupSockAddr, CgroupInet6Bind, false),
        new("cgroup/connect4", PT.CgroupSockAddr, CgroupInet4Connect, false),
        new("cgroup/connect6", PT.CgroupSockAddr, CgroupInet6Connect, false),
        new("cgroup/connect_unix", PT.CgroupSockAddr, CgroupUnixConnect, false),
        new("cgroup/sendmsg4", PT.CgroupSockAddr, CgroupUdp4Sendmsg, false),
        new("cgroup/sendmsg6", PT.CgroupSockAddr, CgroupUdp6Sendmsg, false),
        new("cgroup/sendmsg_unix", PT.CgroupSockAddr, CgroupUnixSendmsg, false),
        new("cgroup/recvmsg4", PT.CgroupSockAddr, CgroupUdp4Recvmsg, false),
        new("cgroup/recvmsg6", PT.CgroupSockAddr, CgroupUdp6Recvmsg, false),
        new("cgroup/recvmsg_unix", PT.CgroupSockAddr, CgroupUnixRecvmsg, false),
        new("cgroup/getpeername4", PT.CgroupSockAddr, CgroupInet4Getpeername, false),
        new("cgroup/getpeername6", PT.CgroupSockAddr, CgroupInet6Getpeername, false),
        new("cgroup/getpeername_unix", PT.CgroupSockAddr, CgroupUnixGetpeername, false),
        new("cgroup/getsockname4", PT.CgroupSockAddr, CgroupInet4Getsockname, false),
        new("cgroup/getsockname6", PT.CgroupSockAddr, CgroupInet6Getsockname, false),
        new("cgroup/getsockname_unix", PT.CgroupSockAddr, CgroupUnixGetsockname, false),
        new("cgroup/sysctl", PT.CgroupSysctl, CgroupSysctl, false),
        new("cgroup/getsockopt", PT.CgroupSockopt, CgroupGetsockopt, false),
        new("cgroup/setsockopt", PT.CgroupSockopt, CgroupSetsockopt, false),
        new("cgroup/dev", PT.CgroupDevice, CgroupDevice, false),
        new("struct_ops+", PT.StructOps, null, false),
        new("struct_ops.s+", PT.StructOps, null, true),
        new("sk_lookup", PT.SkLookup, SkLookup, false),
        new("netfilter", PT.Netfilter, Netfilter, false),
    ];

    /// <summary>The first row matching <paramref name="sectionName"/>, or null (libbpf <c>find_sec_def</c>).</summary>
    public static SectionDef? Find(string sectionName)
    {
        foreach (var def in All)
        {
            if (def.Matches(sectionName))
            {
                return def;
            }
        }

        return null;
    }
}
