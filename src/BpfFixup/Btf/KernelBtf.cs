// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Isa;

namespace BpfFixup.Btf;

/// <summary>
/// The running kernel's BTF as a raw file (<c>/sys/kernel/btf/vmlinux</c>, or <c>bpftool btf dump file … format
/// raw</c>'s input): what libbpf's <c>btf__load_vmlinux_btf</c> reads to resolve attach targets and kfunc externs.
/// Parsed once and indexed by name (<see cref="BtfInfo"/>), so each question is a dictionary look-up however many
/// types (about 100 000 in a distribution kernel) it holds.
/// </summary>
public sealed class KernelBtf
{
    private KernelBtf(BtfInfo types, string name)
    {
        Types = types;
        Name = name;
    }

    /// <summary>The kernel's types.</summary>
    public BtfInfo Types { get; }

    /// <summary>What libbpf calls this BTF in its messages: <c>vmlinux</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// Parses a raw BTF blob (<c>struct btf_header</c> then types and strings, either byte order: the magic
    /// 0xeb9f tells, as in libbpf's <c>btf_parse_hdr</c>).
    /// </summary>
    /// <exception cref="BtfFormatException">The blob is malformed.</exception>
    internal static KernelBtf Parse(ReadOnlySpan<byte> data)
    {
        var order = data.Length >= 2 && data[0] == 0xeb && data[1] == 0x9f ? ByteOrder.Big : ByteOrder.Little;
        return new KernelBtf(BtfInfo.Parse(data, order), "vmlinux");
    }

    /// <summary>Parses <paramref name="data"/>; null (with one error naming <paramref name="fileName"/>) when malformed.</summary>
    public static KernelBtf? TryParse(byte[] data, string fileName, DiagnosticBag diagnostics)
    {
        try
        {
            return Parse(data);
        }
        catch (BtfFormatException e)
        {
            diagnostics.Add(new Diagnostic { Id = DiagnosticIds.MalformedBtf, Severity = Severity.Error, Message = e.Message, File = fileName, FileOffset = e.Offset });
            return null;
        }
    }

    /// <summary>Reads and parses the file at <paramref name="path"/>; null (with one error) when it cannot be read or is malformed.</summary>
    public static KernelBtf? LoadFile(string path, DiagnosticBag diagnostics)
    {
        if (IO.InputFile.TryRead(path, path, diagnostics) is not { } data)
        {
            return null;
        }

        return TryParse(data, path, diagnostics);
    }
}
