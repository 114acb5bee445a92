// SPDX-License-Identifier: MIT
namespace BpfFixup.Analysis;

/// <summary>
/// R0 after a helper call, from the helpers' <c>ret_type</c> in <c>struct bpf_func_proto</c>
/// (kernel/bpf/helpers.c, kernel/trace/bpf_trace.c, net/core/filter.c). Helpers not listed return a scalar.
/// </summary>
public static class HelperReturnTypes
{
    /// <summary>The type of R0 after helper <paramref name="id"/>.</summary>
    public static RegValue Of(int id) => id switch
    {
        1 => RegValue.Of(RegTypes.MapValueOrNull), // bpf_map_lookup_elem: RET_PTR_TO_MAP_VALUE_OR_NULL
        195 => RegValue.Of(RegTypes.MapValueOrNull), // bpf_map_lookup_percpu_elem
        131 => RegValue.Of(RegTypes.MemOrNull), // bpf_ringbuf_reserve: RET_PTR_TO_RINGBUF_MEM_OR_NULL
        84 or 85 or 99 => RegValue.Of(RegTypes.OtherPtr), // bpf_sk_lookup_tcp/_udp, bpf_skc_lookup_tcp: RET_PTR_TO_SOCK*_OR_NULL
        158 => RegValue.Of(RegTypes.OtherPtr), // bpf_get_current_task_btf: RET_PTR_TO_BTF_ID_TRUSTED
        _ => RegValue.Scalar,
    };

    /// <summary>
    /// R0 after helper <paramref name="id"/> at instruction <paramref name="insn"/>: for the RET_INTEGER helpers listed
    /// here, a scalar the kernel has no bounds for (<c>mark_reg_unknown</c>, and none of them is narrowed by
    /// <c>do_refine_retval_range</c>); for the rest, what <see cref="Of(int)"/> says.
    /// </summary>
    public static RegValue Of(int id, int insn) => id switch
    {
        2 or 3 or 4 or 5 or 6 or 7 or 14 or 15 or 16 or 25 or 35 or 112 or 113 or 125 or 130 or 173 or 183 or 184 or 185
            => RegValue.Unbounded(insn), // map_update/delete_elem, probe_read, ktime_get_ns, trace_printk, get_prandom_u32, get_current_pid_tgid/uid_gid/comm, perf_event_output, get_current_task, probe_read_user/kernel, ktime_get_boot_ns, ringbuf_output, get_func_ip, get_func_arg/ret/arg_cnt
        _ => Of(id),
    };
}
