// SPDX-License-Identifier: MIT
using BpfFixup.Btf;
using BpfFixup.Diagnostics;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Btf;

/// <summary>Split BTF of modules on top of vmlinux (libbpf btf__parse_split).</summary>
public sealed class KernelBtfSplitTests
{
    private static (KernelBtfBytes Base, int Int, int Task) SmallBase()
    {
        var b = new KernelBtfBytes();
        int @int = b.Int("int", 4);
        int task = b.Struct("task_struct", 64);
        b.Func("schedule", b.Proto(@int));
        return (b, @int, task);
    }

    private static KernelBtf Load(byte[] vmlinux, params (string Name, byte[] Data)[] modules)
    {
        var bag = new DiagnosticBag();
        var kernel = KernelBtf.TryParse(vmlinux, "vmlinux", bag) ?? throw new InvalidOperationException(string.Join("\n", bag.Items));
        foreach (var (name, data) in modules)
        {
            kernel = kernel.TryAddModule(data, name, name, bag) ?? throw new InvalidOperationException(string.Join("\n", bag.Items));
        }

        return kernel;
    }

    [Fact]
    public void Ids_and_strings_resolve_across_the_boundary()
    {
        var (b, @int, task) = SmallBase();
        var m = new KernelBtfBytes(b);
        int conn = m.Struct("nf_conn", 256);
        int proto = m.Proto(@int, ("ct", m.Ptr(conn)), ("owner", m.Ptr(task)));
        int func = m.Func("nf_ct_delete", proto);
        var kernel = Load(b.Build(), ("nf_conntrack", m.Build()));

        var module = Assert.Single(kernel.Modules);
        Assert.Equal("nf_conntrack", module.Name);
        Assert.Equal(kernel.Types.Types.Count, module.Types.StartId);
        Assert.Equal(conn, module.Types.StartId);
        Assert.Equal("task_struct", module.Types.Get(task)!.Name);
        Assert.Equal("nf_conn", module.Types.Get(conn)!.Name);
        Assert.Null(module.Types.Get(func + 1));
        Assert.Null(kernel.Types.Get(conn));

        var found = kernel.FindFunc("nf_ct_delete")!;
        Assert.Equal("nf_conntrack", found.Owner);
        Assert.Equal(func, found.Func.Id);
        Assert.Equal("int nf_ct_delete(struct nf_conn *ct, struct task_struct *owner)", BtfPrototype.Format(found.Types, found.Func));
        // vmlinux's functions are found in vmlinux, and a module's types never leak into it.
        Assert.Equal("vmlinux", kernel.FindFunc("schedule")!.Owner);
        Assert.Null(kernel.Types.FindFunc("nf_ct_delete"));
        Assert.Equal(["schedule", "nf_ct_delete"], kernel.Funcs.Select(f => f.Func.Name));
        Assert.Equal("vmlinux, nf_conntrack", kernel.Names);
    }

    [Fact]
    public void Each_module_sits_on_vmlinux_and_vmlinux_wins_a_shared_name()
    {
        var (b, @int, _) = SmallBase();
        var m1 = new KernelBtfBytes(b);
        m1.Func("schedule", m1.Proto(@int));
        m1.Func("shared", m1.Proto(@int));
        var m2 = new KernelBtfBytes(b);
        int only = m2.Func("shared", m2.Proto(@int, ("x", @int)));
        var kernel = Load(b.Build(), ("a", m1.Build()), ("b", m2.Build()));
        Assert.Equal("vmlinux", kernel.FindFunc("schedule")!.Owner);
        Assert.Equal("a", kernel.FindFunc("shared")!.Owner);
        Assert.Equal(kernel.Modules[0].Types.StartId, kernel.Modules[1].Types.StartId);
        Assert.Equal("int shared(int x)", BtfPrototype.Format(kernel.Modules[1].Types, kernel.Modules[1].Types.Get(only)!));
    }

    [Fact]
    public void Split_btf_given_first_is_one_error_naming_the_file()
    {
        var (b, @int, _) = SmallBase();
        var m = new KernelBtfBytes(b);
        m.Func("nf_ct_delete", m.Proto(@int));
        var bag = new DiagnosticBag();
        Assert.Null(KernelBtf.TryParse(m.Build(), "nf_conntrack", bag));
        var d = Assert.Single(bag.Items);
        Assert.Equal("nf_conntrack", d.File);
        Assert.Contains("this is split BTF (a module's); give vmlinux's BTF first", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Base_btf_given_as_a_module_is_refused()
    {
        var (b, _, _) = SmallBase();
        var bag = new DiagnosticBag();
        var kernel = Load(b.Build());
        Assert.Null(kernel.TryAddModule(b.Build(), "vmlinux2", "dir/vmlinux2", bag));
        var d = Assert.Single(bag.Items);
        Assert.Equal("dir/vmlinux2", d.File);
        Assert.Contains("this is base BTF, not split BTF", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_btf_of_a_larger_base_does_not_fit_a_smaller_one()
    {
        var (big, @int, _) = SmallBase();
        big.Struct("a_struct_only_the_big_kernel_has", 8);
        var m = new KernelBtfBytes(big);
        m.Func("nf_ct_delete", m.Proto(@int));
        var (small, _, _) = SmallBase();
        var bag = new DiagnosticBag();
        Assert.Null(Load(small.Build()).TryAddModule(m.Build(), "nf_conntrack", "nf_conntrack", bag));
        var d = Assert.Single(bag.Items);
        Assert.Equal("nf_conntrack", d.File);
        Assert.Contains("not split BTF of this base", d.Message, StringComparison.Ordinal);
        Assert.Contains("BTF type [", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_btf_in_the_other_byte_order_is_refused()
    {
        var (b, @int, _) = SmallBase();
        var m = new KernelBtfBytes(b);
        m.Func("f", m.Proto(@int));
        var data = m.Build();
        // Only the magic is swapped: the byte order is told before anything else is read.
        (data[0], data[1]) = (data[1], data[0]);
        var bag = new DiagnosticBag();
        Assert.Null(Load(b.Build()).TryAddModule(data, "m", "m", bag));
        Assert.Contains("byte order (Big) differs from vmlinux's (Little)", Assert.Single(bag.Items).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_files_reads_vmlinux_then_modules_named_by_file_name()
    {
        var (b, @int, _) = SmallBase();
        var m = new KernelBtfBytes(b);
        m.Func("nf_ct_delete", m.Proto(@int));
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("vmlinux"), b.Build());
        File.WriteAllBytes(dir.File("nf_conntrack"), m.Build());
        var bag = new DiagnosticBag();
        var kernel = KernelBtf.LoadFiles([dir.File("vmlinux"), dir.File("nf_conntrack")], bag);
        Assert.NotNull(kernel);
        Assert.Equal("nf_conntrack", kernel.FindFunc("nf_ct_delete")!.Owner);
        Assert.Null(KernelBtf.LoadFiles([dir.File("nf_conntrack"), dir.File("vmlinux")], bag));
        Assert.Equal(dir.File("nf_conntrack"), Assert.Single(bag.Items).File);
    }
}
