// SPDX-License-Identifier: MIT
namespace BpfFixup.Model;

/// <summary>Kernel and libbpf spellings of program and attach types.</summary>
public static class TypeNames
{
    private static readonly string[] AttachNames =
    [
        "cgroup_inet_ingress",
        "cgroup_inet_egress",
        "cgroup_inet_sock_create",
        "cgroup_sock_ops",
        "sk_skb_stream_parser",
        "sk_skb_stream_verdict",
        "cgroup_device",
        "sk_msg_verdict",
        "cgroup_inet4_bind",
        "cgroup_inet6_bind",
        "cgroup_inet4_connect",
        "cgroup_inet6_connect",
        "cgroup_inet4_post_bind",
        "cgroup_inet6_post_bind",
        "cgroup_udp4_sendmsg",
        "cgroup_udp6_sendmsg",
        "lirc_mode2",
        "flow_dissector",
        "cgroup_sysctl",
        "cgroup_udp4_recvmsg",
        "cgroup_udp6_recvmsg",
        "cgroup_getsockopt",
        "cgroup_setsockopt",
        "trace_raw_tp",
        "trace_fentry",
        "trace_fexit",
        "modify_return",
        "lsm_mac",
        "trace_iter",
        "cgroup_inet4_getpeername",
        "cgroup_inet6_getpeername",
        "cgroup_inet4_getsockname",
        "cgroup_inet6_getsockname",
        "xdp_devmap",
        "cgroup_inet_sock_release",
        "xdp_cpumap",
        "sk_lookup",
        "xdp",
        "sk_skb_verdict",
        "sk_reuseport_select",
        "sk_reuseport_select_or_migrate",
        "perf_event",
        "trace_kprobe_multi",
        "lsm_cgroup",
        "struct_ops",
        "netfilter",
        "tcx_ingress",
        "tcx_egress",
        "trace_uprobe_multi",
        "cgroup_unix_connect",
        "cgroup_unix_sendmsg",
        "cgroup_unix_recvmsg",
        "cgroup_unix_getpeername",
        "cgroup_unix_getsockname",
        "netkit_primary",
        "netkit_peer",
        "trace_kprobe_session",
        "trace_uprobe_session",
        "trace_fsession",
        // libbpf 1.8 (bpftool 7.8): the attach_type_name[] spelling is the enum name without BPF_, lower case,
        // like every row above (not read from libbpf 1.8's source: the index holds no copy of that table).
        "trace_fentry_multi",
        "trace_fexit_multi",
        "trace_fsession_multi",
    ];

    private static readonly string[] ProgramNames =
    [
        "unspec",
        "socket_filter",
        "kprobe",
        "sched_cls",
        "sched_act",
        "tracepoint",
        "xdp",
        "perf_event",
        "cgroup_skb",
        "cgroup_sock",
        "lwt_in",
        "lwt_out",
        "lwt_xmit",
        "sock_ops",
        "sk_skb",
        "cgroup_device",
        "sk_msg",
        "raw_tracepoint",
        "cgroup_sock_addr",
        "lwt_seg6local",
        "lirc_mode2",
        "sk_reuseport",
        "flow_dissector",
        "cgroup_sysctl",
        "raw_tracepoint_writable",
        "cgroup_sockopt",
        "tracing",
        "struct_ops",
        "ext",
        "lsm",
        "sk_lookup",
        "syscall",
        "netfilter",
    ];

    /// <summary>libbpf's <c>attach_type_name[]</c> spelling, e.g. <c>trace_fsession</c>.</summary>
    public static string Of(AttachType t) => (int)t >= 0 && (int)t < AttachNames.Length ? AttachNames[(int)t] : $"attach_type({(int)t})";

    /// <summary>libbpf's <c>prog_type_name[]</c> spelling, e.g. <c>tracing</c>.</summary>
    public static string Of(ProgramType t) => (int)t >= 0 && (int)t < ProgramNames.Length ? ProgramNames[(int)t] : $"prog_type({(int)t})";

    /// <summary>The kernel's enum name, e.g. <c>BPF_TRACE_FSESSION</c>.</summary>
    public static string EnumName(AttachType t) => "BPF_" + Of(t).ToUpperInvariant();

    /// <summary>The kernel's enum name, e.g. <c>BPF_PROG_TYPE_TRACING</c>.</summary>
    public static string EnumName(ProgramType t) => "BPF_PROG_TYPE_" + Of(t).ToUpperInvariant();
}
