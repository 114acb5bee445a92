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
}
