using BpfFixup.Btf;

namespace BpfFixup.Analysis;

/// <summary>
/// The kernel functions whose name ends in a missing attach target's stem (<c>do_unlinkat</c> → <c>…_unlinkat</c>),
/// found for every missing target of an object in one pass over the kernel's functions. Excluded are the syscall
/// entry points (<c>__x64_sys_…</c> and kin take <c>struct pt_regs *</c>, not the arguments) and the tracepoint
/// stubs. A name matches a stem when it is the stem or ends in <c>_</c> and the stem, so each of its suffixes after an
/// underscore is looked up once: the pass costs the length of the kernel's names, not that times the targets.
/// </summary>
internal sealed class SimilarNames
{
    private readonly Dictionary<string, List<KernelFunc>> byStem;

    /// <summary>Collects the functions similar to each of <paramref name="stems"/>.</summary>
    /// <param name="kernel">The kernel's BTF (vmlinux and modules, in <see cref="KernelBtf.Funcs"/> order).</param>
    /// <param name="stems">The stems (<see cref="Stem"/>) of the targets to suggest for.</param>
    public SimilarNames(KernelBtf kernel, IEnumerable<string> stems)
    {
        byStem = [];
        foreach (string stem in stems)
        {
            byStem.TryAdd(stem, []);
        }

        if (byStem.Count == 0)
        {
            return;
        }

        var lookup = byStem.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var k in kernel.Funcs)
        {
            string name = k.Func.Name;
            if (Sleepable.IsSyscallEntry(name) || IsGenerated(name))
            {
                continue;
            }

            // The whole name, then each suffix after an underscore: distinct lengths, so a function joins a stem's
            // list at most once, in the kernel's order.
            if (lookup.TryGetValue(name, out var same))
            {
                same.Add(k);
            }

            for (int i = name.IndexOf('_', StringComparison.Ordinal); i >= 0; i = name.IndexOf('_', i + 1))
            {
                if (lookup.TryGetValue(name.AsSpan(i + 1), out var list))
                {
                    list.Add(k);
                }
            }
        }
    }

    /// <summary>Functions the tracepoint macros generate (include/trace/bpf_probe.h, include/linux/tracepoint.h).</summary>
    /// <param name="name">A kernel function's name.</param>
    internal static bool IsGenerated(string name) =>
        name.StartsWith("__probestub_", StringComparison.Ordinal) || name.StartsWith("__traceiter_", StringComparison.Ordinal) || name.StartsWith("__bpf_trace_", StringComparison.Ordinal);

    /// <summary>The target without its first <c>__do_</c>, <c>do_</c>, <c>__</c> or <c>_</c> prefix.</summary>
    /// <param name="target">The attach target's name.</param>
    public static string Stem(string target)
    {
        foreach (var prefix in new[] { "__do_", "do_", "__", "_" })
        {
            if (target.StartsWith(prefix, StringComparison.Ordinal) && target.Length > prefix.Length)
            {
                return target[prefix.Length..];
            }
        }

        return target;
    }

    /// <summary>
    /// The functions similar to <paramref name="target"/> other than itself: plain names first, then by name.
    /// </summary>
    /// <param name="target">A target whose stem was given to the constructor.</param>
    public List<KernelFunc> Similar(string target) =>
        [.. (byStem.GetValueOrDefault(Stem(target)) ?? [])
            .Where(k => k.Func.Name != target)
            .OrderBy(k => k.Func.Name.StartsWith('_') ? 1 : 0)
            .ThenBy(k => k.Func.Name, StringComparer.Ordinal)];
}
