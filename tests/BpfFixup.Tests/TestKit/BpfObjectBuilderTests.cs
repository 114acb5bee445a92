// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Model;
using BpfFixup.Tests.Interop;

namespace BpfFixup.Tests.TestKit;

public class BpfObjectBuilderTests
{
    /// <summary>
    /// .text: static sub (is_return), global gsub; fsession/f0: prog calling both, a callback ld_imm64, a cookie call.
    /// </summary>
    internal static byte[] Small(ByteOrder order)
    {
        var b = new BpfObjectBuilder(order);
        var text = b.Section(".text");
        text.Add(Asm.MovReg(6, 1));                     // 0 sub
        text.Add(Asm.CallRelocated());                  // 1 call bpf_session_is_return
        text.Add(Asm.Exit());                           // 2
        text.Add(Asm.MovImm(0, 0));                     // 3 gsub
        text.Add(Asm.Exit());                           // 4
        b.Function(".text", "sub", 0, global: false).Function(".text", "gsub", 3, global: true);
        b.Extern("bpf_session_is_return").Extern("bpf_session_cookie");
        b.Relocate(".text", 1, "bpf_session_is_return", BpfRelocationType.R64_32);

        var p = b.Section("fsession/vfs_read");
        p.Add(Asm.MovReg(6, 1));                        // 0
        p.Add(Asm.CallLocal(-1));                       // 1 call sub via .text section symbol (target insn 0)
        p.Add(Asm.MovReg(1, 6));                        // 2
        p.Add(Asm.CallRelocated());                     // 3 call gsub
        p.Add(Instruction.LoadImm64(2, 0, 24));         // 4 (slots 4-5) r2 = gsub (byte offset 24) ll
        p.Add(Asm.MovReg(1, 6));                        // 5
        p.Add(Asm.CallRelocated());                     // 6 call bpf_session_cookie
        p.Add(Asm.MovImm(0, 0));                        // 7
        p.Add(Asm.Exit());                              // 8
        b.Function("fsession/vfs_read", "prog", 0, global: true);
        b.Relocate("fsession/vfs_read", 1, BpfObjectBuilder.TextSectionSymbol, BpfRelocationType.R64_32)
         .Relocate("fsession/vfs_read", 3, "gsub", BpfRelocationType.R64_32)
         .Relocate("fsession/vfs_read", 4, BpfObjectBuilder.TextSectionSymbol, BpfRelocationType.R64_64)
         .Relocate("fsession/vfs_read", 6, "bpf_session_cookie", BpfRelocationType.R64_32);
        return b.Build();
    }

    [Theory]
    [InlineData(ByteOrder.Little)]
    [InlineData(ByteOrder.Big)]
    public void Built_object_loads_with_the_described_functions_calls_and_sites(ByteOrder order)
    {
        var obj = TestHelpers.Load(Small(order), "small.o");
        Assert.Empty(obj.Diagnostics);
        Assert.Equal(order, obj.ByteOrder);
        Assert.Equal([".text", "fsession/vfs_read"], obj.CodeSections.Select(c => c.Name));
        Assert.Equal(1, obj.Elf.Header.SectionNameTableIndex);
        Assert.Equal(".strtab", obj.Elf.Sections[1].Name);
        Assert.Equal(ElfConstants.ShtSymtab, obj.Elf.Sections[^1].Type);
        Assert.Equal(".relfsession/vfs_read", obj.Elf.Sections.Single(s => s.Type == ElfConstants.ShtRel && s.Info == (uint)obj.CodeSections[1].Elf.Index).Name);
        var symtab = obj.Elf.SymbolTable!;
        Assert.All(obj.Elf.Symbols.Take((int)symtab.Info), s => Assert.Equal(ElfConstants.StbLocal, s.Binding));
        Assert.All(obj.Elf.Symbols.Skip((int)symtab.Info), s => Assert.NotEqual(ElfConstants.StbLocal, s.Binding));
        Assert.Contains(obj.Elf.Symbols, s => s.Type == ElfConstants.SttSection && s.SectionIndex == obj.CodeSections[0].Elf.Index);

        Assert.Equal(["sub", "gsub", "prog"], obj.Functions.Select(f => f.Name));
        Assert.Equal([false, true, true], obj.Functions.Select(f => f.IsGlobal));
        Assert.Equal(["prog"], obj.Programs.Select(p => p.Name));
        var fs = obj.CodeSections[1];
        Assert.Equal((CallTargetKind.Subprogram, 0), (obj.ResolveCall(fs, 1).Kind, obj.ResolveCall(fs, 1).TargetInsn));
        Assert.Equal((CallTargetKind.Subprogram, 3), (obj.ResolveCall(fs, 3).Kind, obj.ResolveCall(fs, 3).TargetInsn));
        Assert.Equal((CallTargetKind.Subprogram, 3), (obj.ResolveFunctionPointer(fs, 4).Kind, obj.ResolveFunctionPointer(fs, 4).TargetInsn));
        Assert.Equal([(".text", 1, SessionKfunc.IsReturn), ("fsession/vfs_read", 6, SessionKfunc.Cookie)],
            obj.SessionCallSites.Select(s => (s.Section.Name, s.Insn, s.Kfunc)));

        var analysis = ObjectAnalyzer.Analyze(obj);
        Assert.False(analysis.HasErrors, string.Join("\n", analysis.Diagnostics));
        Assert.All(analysis.Verdicts, v => Assert.Equal(SiteAction.Inline, v.Action));
    }

    [Theory]
    [InlineData(ByteOrder.Little)]
    [InlineData(ByteOrder.Big)]
    public void Function_sizes_run_to_the_next_function_and_count_ld_imm64_as_two_slots(ByteOrder order)
    {
        var obj = TestHelpers.Load(Small(order), "small.o");
        var sizes = obj.Elf.Symbols.Where(s => s.Type == ElfConstants.SttFunc).ToDictionary(s => s.Name, s => (s.Value, s.Size));
        Assert.Equal((0UL, 24UL), sizes["sub"]);
        Assert.Equal((24UL, 16UL), sizes["gsub"]);
        Assert.Equal((0UL, 80UL), sizes["prog"]);
    }

    [InteropTheory("llvm-readelf-19", "llvm-objdump-19")]
    [InlineData(ByteOrder.Little)]
    [InlineData(ByteOrder.Big)]
    public void Llvm_tools_read_a_built_object_without_warnings(ByteOrder order)
    {
        string dir = Directory.CreateTempSubdirectory("bpffixup-builder-").FullName;
        try
        {
            string path = Path.Combine(dir, "small.o");
            File.WriteAllBytes(path, Small(order));
            var readelf = ExternalTool.Run("llvm-readelf-19", ["-a", path]);
            Assert.True(readelf.ExitCode == 0 && readelf.Stderr.Length == 0, readelf.Stderr);
            Assert.Contains(order == ByteOrder.Little ? "little endian" : "big endian", readelf.Stdout, StringComparison.Ordinal);
            Assert.Contains("Relocation section '.relfsession/vfs_read'", readelf.Stdout, StringComparison.Ordinal);
            var objdump = ExternalTool.Run("llvm-objdump-19", ["-dr", path]);
            Assert.True(objdump.ExitCode == 0 && objdump.Stderr.Length == 0, objdump.Stderr);
            Assert.Contains("R_BPF_64_32\tbpf_session_cookie", objdump.Stdout, StringComparison.Ordinal);
            Assert.Contains("R_BPF_64_64\t.text", objdump.Stdout, StringComparison.Ordinal);
            Assert.Contains("<gsub>:", objdump.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
