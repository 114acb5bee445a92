// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using BpfFixup.Elf;

namespace BpfFixup.Tests.TestKit;

/// <summary>Crafted objects that are valid ELF but hostile in size or nesting (issue 8).</summary>
internal static class HostileObjects
{
    private static readonly Lazy<byte[]> DeepChain = new(() => CallChain(10_000));

    /// <summary><see cref="CallChain"/> of 10,000 frames (built once: the builder is not made for that size).</summary>
    public static byte[] CallChain10000 => (byte[])DeepChain.Value.Clone();

    /// <summary>
    /// A bpf-to-bpf call chain of <paramref name="frames"/> frames: the fsession program <c>prog</c> calls
    /// <c>f1</c> through a relocation, each <c>.text</c> function <c>fN</c> calls <c>fN+1</c> pc-relative, and the
    /// last one calls <c>bpf_session_is_return(ctx)</c> (so the rewrite has work to do) and returns.
    /// </summary>
    public static byte[] CallChain(int frames)
    {
        var b = new BpfObjectBuilder();
        var prog = b.Section("fsession/vfs_read");
        int call = prog.Add(Asm.CallRelocated());
        prog.Add(Asm.MovImm(0, 0)); // an fsession program returns 0 (check_return_code)
        prog.Add(Asm.Exit());
        b.Function("fsession/vfs_read", "prog", 0, global: true);
        var text = b.Section(".text");
        for (int f = 1; f < frames; f++)
        {
            int start = text.Add(f + 1 < frames ? Asm.CallLocal(1) : Asm.CallRelocated());
            if (f + 1 == frames)
            {
                b.Extern("bpf_session_is_return").Relocate(".text", start, "bpf_session_is_return", BpfRelocationType.R64_32);
            }

            text.Add(Asm.Exit());
            b.Function(".text", "f" + f, start, global: false);
        }

        if (frames > 1)
        {
            b.Relocate("fsession/vfs_read", call, "f1", BpfRelocationType.R64_32);
        }

        return b.Build();
    }

    /// <summary>
    /// <paramref name="programs"/> fsession programs that each call the one <c>.text</c> subprogram <c>sub</c>, which
    /// makes <paramref name="sites"/> calls of <c>bpf_session_is_return(ctx)</c> (3 + 2 x sites instructions): each
    /// program reaches every site, so the sum of what the programs reach grows with programs x sites (issue 8). With
    /// <paramref name="uninitialised"/>, R1 at each call is R7, which nothing sets: every site is an error (two
    /// findings: the read of R7 and the rejected call) in every program.
    /// </summary>
    public static byte[] SharedSubprogram(int programs, int sites, bool uninitialised = false)
    {
        var b = new BpfObjectBuilder();
        var text = b.Section(".text");
        text.Add(Asm.MovReg(6, 1));
        b.Extern("bpf_session_is_return");
        for (int i = 0; i < sites; i++)
        {
            text.Add(Asm.MovReg(1, uninitialised ? (byte)7 : (byte)6));
            b.Relocate(".text", text.Add(Asm.CallRelocated()), "bpf_session_is_return", BpfRelocationType.R64_32);
        }

        text.Add(Asm.MovImm(0, 0));
        text.Add(Asm.Exit());
        b.Function(".text", "sub", 0, global: false);
        for (int p = 0; p < programs; p++)
        {
            string name = "fsession/f" + p;
            var prog = b.Section(name);
            int call = prog.Add(Asm.CallRelocated());
            prog.Add(Asm.MovImm(0, 0));
            prog.Add(Asm.Exit());
            b.Function(name, "p" + p, 0, global: true).Relocate(name, call, "sub", BpfRelocationType.R64_32);
        }

        return b.Build();
    }

    /// <summary>
    /// An fsession program with one inlined call (so the writer lays the object out again), followed by
    /// <paramref name="count"/> one-byte non-alloc PROGBITS sections of sh_addralign <paramref name="alignment"/>:
    /// packed next to each other (hostile) or, when <paramref name="packed"/> is false, each at an offset that
    /// honours its alignment (as a real producer lays them out).
    /// </summary>
    public static byte[] AlignedSections(int count, ulong alignment, bool packed = true)
    {
        var b = new BpfObjectBuilder();
        var s = b.Section("fsession/vfs_read");
        s.Add(Asm.MovReg(6, 1));
        int call = s.Add(Asm.CallRelocated());
        s.Add(Asm.MovImm(0, 0));
        s.Add(Asm.Exit());
        b.Function("fsession/vfs_read", "prog", 0, global: true).Extern("bpf_session_is_return").Relocate("fsession/vfs_read", call, "bpf_session_is_return", BpfRelocationType.R64_32);
        return AppendSections(b.Build(), count, alignment, packed);
    }

    /// <summary>Appends <paramref name="count"/> one-byte sections and a new section header table.</summary>
    private static byte[] AppendSections(byte[] elf, int count, ulong alignment, bool packed)
    {
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(40));
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(60));
        int stride = packed ? 1 : (int)alignment;
        int dataStart = packed ? elf.Length : (elf.Length + stride - 1) & ~(stride - 1);
        int tableStart = (dataStart + (count * stride) + 7) & ~7;
        var output = new byte[tableStart + ((shnum + count) * ElfConstants.SectionHeaderSize)];
        elf.CopyTo(output, 0);
        elf.AsSpan((int)shoff, shnum * ElfConstants.SectionHeaderSize).CopyTo(output.AsSpan(tableStart));
        for (int i = 0; i < count; i++)
        {
            output[dataStart + (i * stride)] = 0x5a;
            var h = output.AsSpan(tableStart + ((shnum + i) * ElfConstants.SectionHeaderSize));
            BinaryPrimitives.WriteUInt32LittleEndian(h[4..], ElfConstants.ShtProgbits);
            BinaryPrimitives.WriteUInt64LittleEndian(h[24..], (ulong)(dataStart + (i * stride)));
            BinaryPrimitives.WriteUInt64LittleEndian(h[32..], 1);
            BinaryPrimitives.WriteUInt64LittleEndian(h[48..], alignment);
        }

        BinaryPrimitives.WriteUInt64LittleEndian(output.AsSpan(40), (ulong)tableStart);
        BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(60), (ushort)(shnum + count));
        return output;
    }
}
