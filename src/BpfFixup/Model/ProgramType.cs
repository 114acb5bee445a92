// SPDX-License-Identifier: MIT
namespace BpfFixup.Model;

/// <summary><c>enum bpf_prog_type</c> (include/uapi/linux/bpf.h; values are positional).</summary>
public enum ProgramType
{
    /// <summary>BPF_PROG_TYPE_UNSPEC.</summary>
    Unspec = 0,
    /// <summary>BPF_PROG_TYPE_SOCKET_FILTER.</summary>
    SocketFilter = 1,
    /// <summary>BPF_PROG_TYPE_KPROBE.</summary>
    Kprobe = 2,
    /// <summary>BPF_PROG_TYPE_SCHED_CLS.</summary>
    SchedCls = 3,
    /// <summary>BPF_PROG_TYPE_SCHED_ACT.</summary>
    SchedAct = 4,
    /// <summary>BPF_PROG_TYPE_TRACEPOINT.</summary>
    Tracepoint = 5,
    /// <summary>BPF_PROG_TYPE_XDP.</summary>
    Xdp = 6,
    /// <summary>BPF_PROG_TYPE_PERF_EVENT.</summary>
    PerfEvent = 7,
    /// <summary>BPF_PROG_TYPE_CGROUP_SKB.</summary>
    CgroupSkb = 8,
    /// <summary>BPF_PROG_TYPE_CGROUP_SOCK.</summary>
    CgroupSock = 9,
    /// <summary>BPF_PROG_TYPE_LWT_IN.</summary>
    LwtIn = 10,
    /// <summary>BPF_PROG_TYPE_LWT_OUT.</summary>
    LwtOut = 11,
    /// <summary>BPF_PROG_TYPE_LWT_XMIT.</summary>
    LwtXmit = 12,
    /// <summary>BPF_PROG_TYPE_SOCK_OPS.</summary>
    SockOps = 13,
    /// <summary>BPF_PROG_TYPE_SK_SKB.</summary>
    SkSkb = 14,
    /// <summary>BPF_PROG_TYPE_CGROUP_DEVICE.</summary>
    CgroupDevice = 15,
    /// <summary>BPF_PROG_TYPE_SK_MSG.</summary>
    SkMsg = 16,
    /// <summary>BPF_PROG_TYPE_RAW_TRACEPOINT.</summary>
    RawTracepoint = 17,
    /// <summary>BPF_PROG_TYPE_CGROUP_SOCK_ADDR.</summary>
    CgroupSockAddr = 18,
    /// <summary>BPF_PROG_TYPE_LWT_SEG6LOCAL.</summary>
    LwtSeg6local = 19,
    /// <summary>BPF_PROG_TYPE_LIRC_MODE2.</summary>
    LircMode2 = 20,
    /// <summary>BPF_PROG_TYPE_SK_REUSEPORT.</summary>
    SkReuseport = 21,
    /// <summary>BPF_PROG_TYPE_FLOW_DISSECTOR.</summary>
    FlowDissector = 22,
    /// <summary>BPF_PROG_TYPE_CGROUP_SYSCTL.</summary>
    CgroupSysctl = 23,
    /// <summary>BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE.</summary>
    RawTracepointWritable = 24,
    /// <summary>BPF_PROG_TYPE_CGROUP_SOCKOPT.</summary>
    CgroupSockopt = 25,
    /// <summary>BPF_PROG_TYPE_TRACING.</summary>
    Tracing = 26,
    /// <summary>BPF_PROG_TYPE_STRUCT_OPS.</summary>
    StructOps = 27,
    /// <summary>BPF_PROG_TYPE_EXT.</summary>
    Ext = 28,
    /// <summary>BPF_PROG_TYPE_LSM.</summary>
    Lsm = 29,
    /// <summary>BPF_PROG_TYPE_SK_LOOKUP.</summary>
    SkLookup = 30,
    /// <summary>BPF_PROG_TYPE_SYSCALL.</summary>
    Syscall = 31,
    /// <summary>BPF_PROG_TYPE_NETFILTER.</summary>
    Netfilter = 32,
}
