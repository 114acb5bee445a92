// SPDX-License-Identifier: MIT
using System.Text;
using System.Text.RegularExpressions;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Rendering;
using BpfFixup.Tests.Isa;

namespace BpfFixup.Tests.Interop;

/// <summary>
/// Disassembles objects with llvm-objdump-19 -d and checks that our decoder plus
/// <see cref="LlvmInstructionFormatter"/> print the same text for every instruction line.
/// </summary>
public sealed partial class LlvmObjdumpOracleTests
{
    private const string Objdump = "llvm-objdump-19";
    private const string Mc = "llvm-mc-19";

    [InteropFact(Objdump)]
    public void Sample_objects_match_llvm_objdump_19()
    {
        ExternalTool.Require(Objdump);
        string dir = Path.Combine(RepoRoot(), "samples", "obj");
        string[] objects = Directory.Exists(dir) ? Directory.GetFiles(dir, "*.o", SearchOption.AllDirectories) : [];
        Assert.True(objects.Length > 0, $"no *.o under {dir}: the samples have not arrived yet");
        var mismatches = new StringBuilder();
        int lines = 0;
        foreach (string obj in objects)
        {
            lines += Compare(obj, mismatches);
        }

        Assert.True(mismatches.Length == 0, $"{lines} lines compared; mismatches:\n{mismatches}");
    }

    [InteropTheory(Mc, Objdump)]
    [InlineData("bpfel")]
    [InlineData("bpfeb")]
    public void Assembled_objects_match_llvm_objdump_19(string triple)
    {
        ExternalTool.Require(Mc);
        ExternalTool.Require(Objdump);
        var order = triple == "bpfel" ? ByteOrder.Little : ByteOrder.Big;
        string temp = Directory.CreateTempSubdirectory("bpffixup-oracle-").FullName;
        try
        {
            // Section 1: every decodable row of the table in llvm syntax, assembled by llvm-mc (v4 for the newer forms).
            // Section 2: every row as raw bytes in the target byte order, so undefined encodings are compared too.
            var text = new StringBuilder(".text\n");
            int assembled = 0;
            foreach (var row in InstructionTable.All)
            {
                // llvm-mc-19 parses a numeric gotol target only as a 16-bit integer, and has no ld_pseudo syntax
                // that round-trips; those rows are covered by the raw section.
                var insn = row.Decode();
                bool longGotol = insn.Opcode == (Opcodes.ClassJmp32 | Opcodes.Ja) && insn.Imm is < short.MinValue or > short.MaxValue;
                if (row.Llvm != LlvmInstructionFormatter.Unknown && !longGotol && !row.Llvm.StartsWith("ld_pseudo", StringComparison.Ordinal))
                {
                    text.Append('\t').Append(row.Llvm).Append('\n');
                    assembled++;
                }
            }

            text.Append(".section raw,\"ax\"\n");
            var buffer = new byte[16];
            foreach (var row in InstructionTable.All)
            {
                int n = InstructionEncoder.Encode(row.Decode(), buffer, order);
                text.Append("\t.byte ");
                for (int i = 0; i < n; i++)
                {
                    text.Append(i == 0 ? string.Empty : ",").Append(buffer[i]);
                }

                text.Append('\n');
            }

            string source = Path.Combine(temp, "all.s");
            string obj = Path.Combine(temp, $"all-{triple}.o");
            File.WriteAllText(source, text.ToString());
            ExternalTool.RunChecked(Mc, ["-triple", triple, "-mcpu=v4", "-filetype=obj", source, "-o", obj]);
            Assert.Equal(triple == "bpfel" ? 1 : 2, File.ReadAllBytes(obj)[5]);

            var mismatches = new StringBuilder();
            int lines = Compare(obj, mismatches);
            Assert.True(lines > assembled + InstructionTable.All.Count - 50, $"only {lines} instruction lines parsed");
            Assert.True(mismatches.Length == 0, $"{lines} lines compared; mismatches:\n{mismatches}");
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>Compares every instruction line of one object; appends mismatches; returns the lines compared.</summary>
    private static int Compare(string obj, StringBuilder mismatches)
    {
        var order = File.ReadAllBytes(obj)[5] == 2 ? ByteOrder.Big : ByteOrder.Little; // ELF EI_DATA
        string output = ExternalTool.RunChecked(Objdump, ["-d", obj], TimeSpan.FromMinutes(2));
        int count = 0;
        var actual = new StringBuilder();
        foreach (string line in output.Split('\n'))
        {
            var m = InstructionLine().Match(line);
            if (!m.Success)
            {
                continue;
            }

            byte[] bytes = Convert.FromHexString(m.Groups["bytes"].Value.Replace(" ", string.Empty, StringComparison.Ordinal));
            string expected = Annotation().Replace(m.Groups["text"].Value, string.Empty);
            var insn = InstructionDecoder.Decode(bytes, 0, order);
            actual.Clear();
            LlvmInstructionFormatter.Format(insn, actual);
            count++;
            if (!actual.Equals(expected.AsSpan()))
            {
                mismatches.Append(Path.GetFileName(obj)).Append(" slot ").Append(m.Groups["slot"].Value)
                    .Append(" [").Append(m.Groups["bytes"].Value).Append("] expected \"").Append(expected)
                    .Append("\" actual \"").Append(actual).Append("\"\n");
            }
        }

        return count;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BpfFixup.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no BpfFixup.sln above {AppContext.BaseDirectory}");
    }

    // "<slot>:\t<hex bytes>\t<text>" (llvm-objdump.cpp's disassembleObject).
    [GeneratedRegex(@"^\s*(?<slot>\d+):\t(?<bytes>[0-9a-f]{2}(?: [0-9a-f]{2})*)\s*\t(?<text>.*)$")]
    private static partial Regex InstructionLine();

    // A trailing " <sym+0xoff>" jump annotation; "<unknown>" alone is the text, not an annotation.
    [GeneratedRegex(@"(?<=\S) <[^<>]*>$")]
    private static partial Regex Annotation();
}
