// SPDX-License-Identifier: MIT
using BpfFixup.Isa;

namespace BpfFixup.Analysis;

/// <summary>
/// The kernel's rules for ALU instructions on pointers (kernel/bpf/verifier.c <c>adjust_reg_min_max_vals</c> and
/// <c>adjust_ptr_min_max_vals</c>), for a privileged loader (<c>allow_ptr_leaks</c>: pointer - pointer and 32-bit
/// subtraction are allowed and give an unknown scalar). Words are the kernel's, with <c>bpf_alu_string</c>.
/// </summary>
public static class PointerArithmetic
{
    /// <summary>The verdict on one pointer type: null when the kernel allows it, else its message.</summary>
    public static string? Judge(int dst, byte op, bool is64, RegTypes pointer, bool pointerIsDst, bool pointerOperandOfPointer, RegValue offset)
    {
        if (pointerOperandOfPointer)
        {
            // adjust_reg_min_max_vals: "Combining two pointers by any ALU op yields an arbitrary scalar."
            return op == Opcodes.Sub ? null : $"R{dst} pointer {AluString(op)} pointer prohibited";
        }

        // adjust_ptr_min_max_vals, in its order.
        if (!is64)
        {
            return op == Opcodes.Sub ? null : $"R{dst} 32-bit pointer arithmetic prohibited";
        }

        if (pointer is RegTypes.MapValueOrNull or RegTypes.MemOrNull)
        {
            return $"R{dst} pointer arithmetic on {RegValue.Of(pointer).KernelTypeName()} prohibited, null-check it first";
        }

        if (pointer == RegTypes.MapPtr && !(offset.IsConstant && offset.Min == 0 && op == Opcodes.Add))
        {
            // CONST_PTR_TO_MAP: only "+= 0" (a known zero).
            return $"R{dst} pointer arithmetic on map_ptr prohibited";
        }

        switch (op)
        {
            case Opcodes.Add:
                return null;
            case Opcodes.Sub:
                if (!pointerIsDst)
                {
                    return $"R{dst} tried to subtract pointer from scalar";
                }

                // "We don't allow subtraction from FP" (test_verifier "invalid fp arithmetic").
                return pointer == RegTypes.Stack ? $"R{dst} subtraction from stack pointer prohibited" : null;
            case Opcodes.And or Opcodes.Or or Opcodes.Xor:
                return $"R{dst} bitwise operator {AluString(op)} on pointer prohibited";
            default:
                return $"R{dst} pointer arithmetic with {AluString(op)} operator prohibited";
        }
    }

    /// <summary>kernel/bpf/disasm.c <c>bpf_alu_string</c>, indexed by <c>op &gt;&gt; 4</c>.</summary>
    public static string AluString(byte op) => (op >> 4) switch
    {
        0 => "+=",
        1 => "-=",
        2 => "*=",
        3 => "/=",
        4 => "|=",
        5 => "&=",
        6 => "<<=",
        7 => ">>=",
        8 => "neg",
        9 => "%=",
        10 => "^=",
        11 => "=",
        12 => "s>>=",
        13 => "endian",
        _ => "?",
    };

    /// <summary>The value of a constant operation, or null when it is not one this analysis folds (division by zero gives 0, like BPF).</summary>
    public static long? Fold(byte op, bool is64, long a, long b)
    {
        if (!is64)
        {
            uint x = (uint)a, y = (uint)b;
            uint? r = op switch
            {
                Opcodes.Add => x + y,
                Opcodes.Sub => x - y,
                Opcodes.Mul => x * y,
                Opcodes.Div => y == 0 ? 0 : x / y,
                Opcodes.Mod => y == 0 ? x : x % y,
                Opcodes.Or => x | y,
                Opcodes.And => x & y,
                Opcodes.Xor => x ^ y,
                Opcodes.Lsh => x << (int)(y & 31),
                Opcodes.Rsh => x >> (int)(y & 31),
                Opcodes.Arsh => (uint)((int)x >> (int)(y & 31)),
                _ => null,
            };
            return r is { } v ? v : null;
        }

        ulong ua = (ulong)a, ub = (ulong)b;
        return op switch
        {
            Opcodes.Add => unchecked(a + b),
            Opcodes.Sub => unchecked(a - b),
            Opcodes.Mul => unchecked(a * b),
            Opcodes.Div => ub == 0 ? 0 : (long)(ua / ub),
            Opcodes.Mod => ub == 0 ? a : (long)(ua % ub),
            Opcodes.Or => a | b,
            Opcodes.And => a & b,
            Opcodes.Xor => a ^ b,
            Opcodes.Lsh => (long)(ua << (int)(ub & 63)),
            Opcodes.Rsh => (long)(ua >> (int)(ub & 63)),
            Opcodes.Arsh => a >> (int)(ub & 63),
            _ => null,
        };
    }
}
