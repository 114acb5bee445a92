// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using BpfFixup.Btf;
using BpfFixup.Diagnostics;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Btf;

/// <summary>A raw BTF file (<c>--kernel-btf</c>) is judged by its header before the rest of it is read (issue 8).</summary>
public sealed class KernelBtfFileTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private static string LoadError(string path, out long allocated)
    {
        var bag = new DiagnosticBag();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Null(KernelBtf.LoadFile(path, bag));
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var d = Assert.Single(bag.Items);
        Assert.Equal(DiagnosticIds.MalformedBtf, d.Id);
        Assert.Equal(path, d.File);
        return d.Message;
    }

    [Fact]
    public void A_large_file_that_is_not_btf_is_refused_from_its_magic_without_being_read()
    {
        string zeros = dir.File("vmlinux");
        using (var f = File.Create(zeros))
        {
            f.SetLength(1_900_000_000); // sparse zeros
        }

        Assert.Equal("BTF header at 0x0: bad magic 0x0000 (expected 0xeb9f in the object's byte order)", LoadError(zeros, out long allocated));
        Assert.True(allocated < 1 << 20, $"{allocated} bytes allocated to refuse a 1.9 GB file from its header");
    }

    [Fact]
    public void A_header_whose_sections_run_past_the_file_is_refused_as_parsing_refuses_it()
    {
        var btf = new KernelBtfBytes();
        btf.Int("int", 4);
        var bytes = btf.Build();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(20), (uint)bytes.Length); // str_len past the end
        string path = dir.File("vmlinux");
        File.WriteAllBytes(path, bytes);

        var parsed = new DiagnosticBag();
        Assert.Null(KernelBtf.TryParse(bytes, path, parsed));
        Assert.Equal(Assert.Single(parsed.Items).Message, LoadError(path, out _));
        Assert.StartsWith("BTF string section at 0x", parsed.Items[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_module_in_the_other_byte_order_is_still_named_as_such()
    {
        var vmlinux = new KernelBtfBytes();
        int @int = vmlinux.Int("int", 4);
        var module = new KernelBtfBytes(vmlinux);
        module.Func("f", module.Proto(@int));
        var data = module.Build();
        (data[0], data[1]) = (data[1], data[0]); // a big-endian magic on a little-endian base
        File.WriteAllBytes(dir.File("vmlinux"), vmlinux.Build());
        File.WriteAllBytes(dir.File("m"), data);
        var bag = new DiagnosticBag();
        Assert.Null(KernelBtf.LoadFiles([dir.File("vmlinux"), dir.File("m")], bag));
        Assert.Contains("byte order (Big) differs from vmlinux's (Little)", Assert.Single(bag.Items).Message, StringComparison.Ordinal);

        // A module that is zeros is refused from its header, in its base's order.
        using (var f = File.Create(dir.File("m")))
        {
            f.SetLength(1_900_000_000);
        }

        bag = new DiagnosticBag();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Null(KernelBtf.LoadFiles([dir.File("vmlinux"), dir.File("m")], bag));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Equal("BTF header at 0x0: bad magic 0x0000 (expected 0xeb9f in the object's byte order)", Assert.Single(bag.Items).Message);
    }

    [Fact]
    public void A_short_file_is_truncated_and_a_good_one_loads()
    {
        string path = dir.File("short");
        File.WriteAllBytes(path, [0x9f, 0xeb, 1, 0]);
        Assert.Equal("BTF header at 0x0: truncated: 4 bytes, need 24", LoadError(path, out _));

        var btf = new KernelBtfBytes();
        btf.Func("schedule", btf.Proto(btf.Int("int", 4)));
        File.WriteAllBytes(path, btf.Build());
        var bag = new DiagnosticBag();
        Assert.NotNull(KernelBtf.LoadFile(path, bag)?.FindFunc("schedule"));
        Assert.Empty(bag.Items);
    }
}
