// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Elf;

namespace BpfFixup.Btf;

/// <summary>
/// The running kernel's BTF as raw files: <c>/sys/kernel/btf/vmlinux</c> (or <c>bpftool btf dump file … format
/// raw</c>'s input), what libbpf's <c>btf__load_vmlinux_btf</c> reads, and optionally split BTF of modules
/// (<c>/sys/kernel/btf/&lt;module&gt;</c>, what <c>load_module_btfs</c> reads with vmlinux as base) to resolve
/// attach targets and kfunc externs. Parsed once and indexed by name (<see cref="BtfInfo"/>), so each question
/// is a dictionary look-up per BTF however many types (about 100 000 in a distribution kernel) it holds.
/// </summary>
public sealed class KernelBtf
{
    private readonly ByteOrder order;

    private KernelBtf(BtfInfo types, ByteOrder order, IReadOnlyList<KernelModuleBtf> modules)
    {
        Types = types;
        this.order = order;
        Modules = modules;
    }

    /// <summary>The kernel's own types (vmlinux, the base).</summary>
    public BtfInfo Types { get; }

    /// <summary>What libbpf calls the base in its messages: <c>vmlinux</c>.</summary>
    public string Name => "vmlinux";

    /// <summary>The modules' split BTF, in the order given.</summary>
    public IReadOnlyList<KernelModuleBtf> Modules { get; }

    /// <summary>
    /// The FUNC called <paramref name="name"/>: vmlinux first, then each module's own types in order, as libbpf's
    /// <c>find_ksym_btf_id</c> and <c>find_kernel_btf_id</c> search; null when none has it.
    /// </summary>
    public KernelFunc? FindFunc(string name)
    {
        if (Types.FindFunc(name) is { } f)
        {
            return new KernelFunc(Types, f, null);
        }

        foreach (var m in Modules)
        {
            if (m.Types.FindOwnFunc(name) is { } mf)
            {
                return new KernelFunc(m.Types, mf, m.Name);
            }
        }

        return null;
    }

    /// <summary>
    /// The arguments of tracepoint <paramref name="tracepoint"/> as a tp_btf program sees them, or null when the kernel's
    /// BTF does not describe it. libbpf looks up the TYPEDEF <c>btf_trace_&lt;tp&gt;</c> (find_kernel_btf_id with
    /// BTF_TRACE_PREFIX: vmlinux, then each module); bpf_check_attach_target (kernel/bpf/verifier.c, BPF_TRACE_RAW_TP)
    /// requires it to be a pointer to a FUNC_PROTO and keeps that prototype as <c>attach_func_proto</c>, whose first
    /// parameter is the tracepoint's <c>void *__data</c>: the program's arguments are the others (do_misc_fixups'
    /// <c>nr_args - 1</c>).
    /// </summary>
    public int? RawTracepointArgs(string tracepoint)
    {
        string name = "btf_trace_" + tracepoint;
        foreach (var types in Modules.Select(m => m.Types).Prepend(Types))
        {
            if (types.FindOwnTypedef(name) is not { } typedef)
            {
                continue;
            }

            // btf_type_by_id, not skipping modifiers: the kernel wants exactly typedef -> PTR -> FUNC_PROTO.
            return types.Get((int)typedef.SizeOrType) is { Kind: BtfKind.Ptr } ptr && types.Get((int)ptr.SizeOrType) is { Kind: BtfKind.FuncProto, VLen: > 0 } proto
                ? proto.VLen - 1
                : null;
        }

        return null;
    }

    /// <summary>Every FUNC of vmlinux and the modules, each with the BTF that holds it.</summary>
    public IEnumerable<KernelFunc> Funcs =>
        Types.Funcs.Select(f => new KernelFunc(Types, f, null))
            .Concat(Modules.SelectMany(m => m.Types.Funcs.Select(f => new KernelFunc(m.Types, f, m.Name))));

    /// <summary>vmlinux and the modules' names, for a message: <c>vmlinux</c> or <c>vmlinux, nf_conntrack</c>.</summary>
    public string Names => string.Join(", ", Modules.Select(m => m.Name).Prepend(Name));

    /// <summary>
    /// Parses a raw base BTF blob (<c>struct btf_header</c> then types and strings, either byte order: the magic
    /// 0xeb9f tells, as in libbpf's <c>btf_parse_hdr</c>).
    /// </summary>
    /// <exception cref="BtfFormatException">The blob is malformed or is split BTF.</exception>
    internal static KernelBtf Parse(ReadOnlySpan<byte> data)
    {
        var order = OrderOf(data);
        RequireBase(data, order);
        return new KernelBtf(BtfInfo.Parse(data, order), order, []);
    }

    /// <summary>Parses <paramref name="data"/>; null (with one error naming <paramref name="fileName"/>) when malformed.</summary>
    public static KernelBtf? TryParse(byte[] data, string fileName, DiagnosticBag diagnostics) =>
        Guard(() => Parse(data), fileName, diagnostics);

    /// <summary>
    /// This kernel with the split BTF <paramref name="data"/> of module <paramref name="moduleName"/> on top of
    /// vmlinux; null (with one error naming <paramref name="fileName"/>) when it is malformed or does not fit.
    /// </summary>
    public KernelBtf? TryAddModule(byte[] data, string moduleName, string fileName, DiagnosticBag diagnostics) =>
        Guard(() => AddModule(data, moduleName), fileName, diagnostics);

    /// <summary>Reads and parses the files: the first is vmlinux, each further one a module's split BTF on top of it.</summary>
    public static KernelBtf? LoadFiles(IReadOnlyList<string> paths, DiagnosticBag diagnostics)
    {
        KernelBtf? kernel = null;
        foreach (var path in paths)
        {
            // struct btf_header is judged from the first bytes, so that a large file that is not BTF is not read.
            ByteOrder? baseOrder = kernel?.order;
            if (IO.InputFile.TryRead(path, path, diagnostics, BtfInfo.HeaderCheckSize, (head, length, d) => CheckHeader(head, length, path, baseOrder, d)) is not { } data)
            {
                return null;
            }

            // libbpf names a module by its /sys/kernel/btf entry, i.e. the file's name.
            kernel = kernel is null ? TryParse(data, path, diagnostics) : kernel.TryAddModule(data, Path.GetFileName(path), path, diagnostics);
            if (kernel is null)
            {
                return null;
            }
        }

        return kernel;
    }

    /// <summary>Reads and parses the file at <paramref name="path"/>; null (with one error) when it cannot be read or is malformed.</summary>
    public static KernelBtf? LoadFile(string path, DiagnosticBag diagnostics) => LoadFiles([path], diagnostics);

    private KernelBtf AddModule(ReadOnlySpan<byte> data, string moduleName)
    {
        var own = OrderOf(data);
        if (own != order && data.Length >= 2 && (data[0] | data[1] << 8) is 0xeb9f or 0x9feb)
        {
            // libbpf btf_new: split BTF takes its base's endianness (btf->swapped_endian = base_btf->swapped_endian).
            throw new BtfFormatException("BTF header", 0, $"byte order ({own}) differs from vmlinux's ({order}): not split BTF of this base");
        }

        RequireSplit(data, order);
        return new KernelBtf(Types, order, [.. Modules, new KernelModuleBtf(moduleName, BtfInfo.Parse(data, order, Types))]);
    }

    /// <summary>
    /// The header check of a raw BTF file (<see cref="BtfInfo.CheckHeader"/>), in the byte order its magic tells; a
    /// module's (on a base in <paramref name="baseOrder"/>) in its base's order, except that a good magic of the other
    /// order is left to <see cref="AddModule"/>, which names the mismatch.
    /// </summary>
    private static bool CheckHeader(ReadOnlySpan<byte> head, long length, string fileName, ByteOrder? baseOrder, DiagnosticBag diagnostics)
    {
        var order = OrderOf(head);
        if (baseOrder is { } expected && order != expected)
        {
            if (head.Length >= 2 && (head[0] | head[1] << 8) is 0xeb9f or 0x9feb)
            {
                return true;
            }

            order = expected;
        }

        try
        {
            _ = BtfInfo.CheckHeader(head, length, order);
            return true;
        }
        catch (BtfFormatException e)
        {
            diagnostics.Add(Malformed(e, fileName));
            return false;
        }
    }

    private static Diagnostic Malformed(BtfFormatException e, string fileName) =>
        new() { Id = DiagnosticIds.MalformedBtf, Severity = Severity.Error, Message = e.Message, File = fileName, FileOffset = e.Offset };

    private static ByteOrder OrderOf(ReadOnlySpan<byte> data) =>
        data.Length >= 2 && data[0] == 0xeb && data[1] == 0x9f ? ByteOrder.Big : ByteOrder.Little;

    /// <summary>
    /// Base BTF's string section begins with the empty string; split BTF's does not (libbpf
    /// <c>btf_parse_str_sec</c>: "first string is not empty" unless there is a base; <c>btf__new_empty_split</c>
    /// starts split strings at length 0). Told apart before the types, whose names a split blob cannot resolve alone.
    /// </summary>
    private static void RequireBase(ReadOnlySpan<byte> data, ByteOrder order)
    {
        if (BtfInfo.StringSection(data, order) is { } s && (s.Length == 0 || data[(int)s.Offset] != 0))
        {
            throw new BtfFormatException("BTF string section", s.Offset,
                "does not begin with the empty string: this is split BTF (a module's); give vmlinux's BTF first");
        }
    }

    private static void RequireSplit(ReadOnlySpan<byte> data, ByteOrder order)
    {
        if (BtfInfo.StringSection(data, order) is { Length: > 0 } s && data[(int)s.Offset] == 0)
        {
            throw new BtfFormatException("BTF string section", s.Offset,
                "begins with the empty string: this is base BTF, not split BTF of a module on top of vmlinux");
        }
    }

    private static KernelBtf? Guard(Func<KernelBtf> parse, string fileName, DiagnosticBag diagnostics)
    {
        try
        {
            return parse();
        }
        catch (BtfFormatException e)
        {
            diagnostics.Add(Malformed(e, fileName));
            return null;
        }
    }
}
