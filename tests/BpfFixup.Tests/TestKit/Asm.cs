// SPDX-License-Identifier: MIT
using BpfFixup.Isa;

namespace BpfFixup.Tests.TestKit;

/// <summary>Instruction constructors for hand-built test objects (RFC 9669 encodings).</summary>
internal static class Asm
{
    /// <summary><c>dst = imm</c> (64-bit).</summary>
    public static Instruction MovImm(byte dst, int imm) => Instruction.Create(Opcodes.ClassAlu64 | Opcodes.Mov | Opcodes.SourceK, dst, 0, 0, imm);

    /// <summary><c>dst = src</c> (64-bit).</summary>
    public static Instruction MovReg(byte dst, byte src) => Instruction.Create(Opcodes.ClassAlu64 | Opcodes.Mov | Opcodes.SourceX, dst, src, 0, 0);

    /// <summary><c>call -1</c> with src_reg 1: a kfunc or relocated subprogram call as clang emits it.</summary>
    public static Instruction CallRelocated() => Instruction.Create(Opcodes.CallOp, 0, 1, 0, -1);

    /// <summary><c>call imm</c> with src_reg 1 (pc-relative or section-symbol relative).</summary>
    public static Instruction CallLocal(int imm) => Instruction.Create(Opcodes.CallOp, 0, 1, 0, imm);

    /// <summary><c>call id</c>: a helper.</summary>
    public static Instruction CallHelper(int id) => Instruction.Create(Opcodes.CallOp, 0, 0, 0, id);

    /// <summary><c>exit</c>.</summary>
    public static Instruction Exit() => Instruction.Create(Opcodes.ExitOp, 0, 0, 0, 0);

    /// <summary><c>goto +off</c>.</summary>
    public static Instruction Goto(short off) => Instruction.Create(Opcodes.ClassJmp | Opcodes.Ja, 0, 0, off, 0);

    /// <summary><c>gotol +imm</c> (JMP32 JA, v4).</summary>
    public static Instruction GotoLong(int imm) => Instruction.Create(Opcodes.ClassJmp32 | Opcodes.Ja, 0, 0, 0, imm);

    /// <summary><c>if dst op imm goto +off</c>, 64- or 32-bit.</summary>
    public static Instruction JumpImm(byte op, byte dst, int imm, short off, bool jmp32 = false) =>
        Instruction.Create((byte)((jmp32 ? Opcodes.ClassJmp32 : Opcodes.ClassJmp) | op | Opcodes.SourceK), dst, 0, off, imm);

    /// <summary><c>if dst op src goto +off</c> (64-bit).</summary>
    public static Instruction JumpReg(byte op, byte dst, byte src, short off) =>
        Instruction.Create((byte)(Opcodes.ClassJmp | op | Opcodes.SourceX), dst, src, off, 0);

    /// <summary><c>dst op= imm</c>, 64- or 32-bit.</summary>
    public static Instruction AluImm(byte op, byte dst, int imm, bool is64 = true) =>
        Instruction.Create((byte)((is64 ? Opcodes.ClassAlu64 : Opcodes.ClassAlu) | op | Opcodes.SourceK), dst, 0, 0, imm);

    /// <summary><c>dst op= src</c>, 64- or 32-bit.</summary>
    public static Instruction AluReg(byte op, byte dst, byte src, bool is64 = true) =>
        Instruction.Create((byte)((is64 ? Opcodes.ClassAlu64 : Opcodes.ClassAlu) | op | Opcodes.SourceX), dst, src, 0, 0);

    /// <summary>Assembles TestData/Analysis/<paramref name="name"/>.s with llvm-mc-19 for <paramref name="triple"/> (bpfel, bpfeb).</summary>
    public static byte[] AssembleAnalysisSource(string name, string triple) => AssembleTestSource("Analysis", name, triple);

    /// <summary>Assembles TestData/<paramref name="folder"/>/<paramref name="name"/>.s with llvm-mc-19 for <paramref name="triple"/>, with <paramref name="flags"/>.</summary>
    public static byte[] AssembleTestSource(string folder, string name, string triple, params string[] flags)
    {
        string source = Path.Combine(TestPaths.RepoRoot, "tests", "BpfFixup.Tests", "TestData", folder, name + ".s");
        string dir = Directory.CreateTempSubdirectory("bpffixup-mc-").FullName;
        try
        {
            string o = Path.Combine(dir, name + ".o");
            Interop.ExternalTool.RunChecked("llvm-mc-19", ["-triple", triple, .. flags, "-filetype=obj", source, "-o", o]);
            return File.ReadAllBytes(o);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
