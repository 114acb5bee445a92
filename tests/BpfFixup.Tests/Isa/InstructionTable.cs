// SPDX-License-Identifier: MIT
using System.Globalization;
using BpfFixup.Elf;
using BpfFixup.Isa;

namespace BpfFixup.Tests.Isa;

/// <summary>One row of TestData/Isa/instructions-el.txt.</summary>
/// <param name="Line">1-based line number, for messages.</param>
/// <param name="Bytes">The little-endian bytes of the slot(s).</param>
/// <param name="Llvm">What llvm-objdump-19 -d prints.</param>
/// <param name="Xlated">What kernel/bpf/disasm.c prints.</param>
/// <param name="InValidSection">True when the row sits under a <c># valid:</c> comment: the kernel accepts it.</param>
public sealed record InstructionRow(int Line, byte[] Bytes, string Llvm, string Xlated, bool InValidSection)
{
    /// <summary>The row decoded with the little-endian decoder.</summary>
    public Instruction Decode() => InstructionDecoder.Decode(Bytes, 0, ByteOrder.Little);

    /// <summary>True when neither disassembler accepts the row.</summary>
    public bool BothReject => Llvm == "<unknown>" && Xlated.StartsWith("BUG", StringComparison.Ordinal);

    public override string ToString() => $"line {Line}: {Convert.ToHexString(Bytes)}";
}

/// <summary>Reads TestData/Isa/instructions-el.txt (iced-style text test data).</summary>
public static class InstructionTable
{
    private static readonly Lazy<InstructionRow[]> Rows = new(Load);

    /// <summary>All rows of the table.</summary>
    public static IReadOnlyList<InstructionRow> All => Rows.Value;

    /// <summary>The path of the table in the test output directory.</summary>
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", "Isa", "instructions-el.txt");

    private static InstructionRow[] Load()
    {
        var rows = new List<InstructionRow>();
        int n = 0;
        bool valid = false;
        foreach (string raw in File.ReadLines(Path))
        {
            n++;
            if (raw.Length == 0 || raw[0] == '#')
            {
                if (raw.StartsWith("# ", StringComparison.Ordinal) && !raw.StartsWith("# <", StringComparison.Ordinal)
                    && !raw.StartsWith("# Generated", StringComparison.Ordinal) && !raw.StartsWith("# Sections", StringComparison.Ordinal)
                    && !raw.StartsWith("# the tests", StringComparison.Ordinal))
                {
                    valid = raw.StartsWith("# valid:", StringComparison.Ordinal);
                }

                continue;
            }

            string[] parts = raw.Split(" | ");
            if (parts.Length != 3)
            {
                throw new FormatException($"{Path}:{n}: expected 3 columns separated by \" | \"");
            }

            string[] hex = parts[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var bytes = new byte[hex.Length];
            for (int i = 0; i < hex.Length; i++)
            {
                bytes[i] = byte.Parse(hex[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }

            if (bytes.Length is not (8 or 16))
            {
                throw new FormatException($"{Path}:{n}: {bytes.Length} bytes, expected 8 or 16");
            }

            rows.Add(new InstructionRow(n, bytes, parts[1].Replace("\\t", "\t", StringComparison.Ordinal), parts[2], valid));
        }

        return rows.ToArray();
    }

    /// <summary>Row indices for xunit's MemberData (an index keeps the test names short and serializable).</summary>
    public static TheoryData<int> Indices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < All.Count; i++)
        {
            data.Add(i);
        }

        return data;
    }
}
