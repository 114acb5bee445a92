// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;

namespace BpfFixup.Analysis;

/// <summary>
/// The abstract value of a register or stack slot: a set of types, and the fixed offsets of ctx and stack
/// pointers (the verifier's <c>reg-&gt;off</c>) with a flag when paths disagree or the offset is variable.
/// </summary>
[StructLayout(LayoutKind.Auto)] // 32 bytes: the flags and the scalar knowledge share a byte (a state holds eleven, a verdict one)
public readonly record struct RegValue
{
    private const byte KnownMask = 0b0011, CtxOffsetVariesBit = 0b0100, CtxVarOffsetBit = 0b1000, StackOffsetVariesBit = 0b1_0000;

    private readonly long min, max;
    private readonly int ctxOffset, stackOffset, origin;
    private readonly RegTypes types;
    private readonly byte bits; // Known in the low two bits, then the three offset flags

    /// <summary>Possible types.</summary>
    public RegTypes Types { get => types; init => types = value; }

    /// <summary>Fixed offset of a ctx pointer.</summary>
    public int CtxOffset { get => ctxOffset; init => ctxOffset = value; }

    /// <summary>True when the ctx offset differs between paths.</summary>
    public bool CtxOffsetVaries { get => (bits & CtxOffsetVariesBit) != 0; init => bits = With(bits, CtxOffsetVariesBit, value); }

    /// <summary>True when a scalar register was added to the ctx pointer (a variable offset).</summary>
    public bool CtxVarOffset { get => (bits & CtxVarOffsetBit) != 0; init => bits = With(bits, CtxVarOffsetBit, value); }

    /// <summary>Fixed offset of a stack pointer from its frame's r10.</summary>
    public int StackOffset { get => stackOffset; init => stackOffset = value; }

    /// <summary>True when the stack offset is not one fixed value.</summary>
    public bool StackOffsetVaries { get => (bits & StackOffsetVariesBit) != 0; init => bits = With(bits, StackOffsetVariesBit, value); }

    /// <summary>What is known about the scalar part (when <see cref="Types"/> has <see cref="RegTypes.Scalar"/>).</summary>
    public ScalarKnowledge Known { get => (ScalarKnowledge)(bits & KnownMask); init => bits = (byte)((bits & ~KnownMask) | ((byte)value & KnownMask)); }

    /// <summary>Smallest signed value of the scalar part, when <see cref="Known"/> is a range.</summary>
    public long Min { get => min; init => min = value; }

    /// <summary>Largest signed value of the scalar part, when <see cref="Known"/> is a range.</summary>
    public long Max { get => max; init => max = value; }

    /// <summary>
    /// For an unbounded scalar: the instruction that produced it, plus one. Registers copied from it share it, as
    /// they share the kernel's <c>reg-&gt;id</c>, so a branch on one refines all (<c>sync_linked_regs</c>).
    /// </summary>
    public int Origin { get => origin; init => origin = value; }

    /// <summary>Equal in every field (the compiler's member-wise equality, written out so it compiles to a few compares).</summary>
    public bool Equals(RegValue other) =>
        min == other.min && max == other.max && ctxOffset == other.ctxOffset && stackOffset == other.stackOffset
        && origin == other.origin && types == other.types && bits == other.bits;

    /// <inheritdoc />
    /// <remarks>
    /// Every field, mixed with two multiplies (Fibonacci hashing) rather than <see cref="HashCode.Combine{T1, T2, T3, T4, T5, T6, T7}"/>'s
    /// seven rounds: the analysis hashes five of these per call-context probe (a few per cent of <c>check</c> on an
    /// object of 2,000 programs). Nothing depends on the values but the tables' speed.
    /// </remarks>
    public override int GetHashCode()
    {
        const ulong golden = 0x9E3779B97F4A7C15UL;
        unchecked
        {
            ulong h = (((ulong)min * golden) ^ (ulong)max) * golden;
            h ^= (uint)ctxOffset | ((ulong)(uint)stackOffset << 32);
            h = (h * golden) ^ (uint)origin ^ ((ulong)types << 32) ^ ((ulong)bits << 56);
            h *= golden;
            return (int)(h ^ (h >> 32));
        }
    }

    private static byte With(byte bits, byte bit, bool on) => (byte)(on ? bits | bit : bits & ~bit);

    /// <summary>NOT_INIT.</summary>
    public static RegValue NotInit => new() { Types = RegTypes.NotInit };

    /// <summary>An unknown scalar.</summary>
    public static RegValue Scalar => new() { Types = RegTypes.Scalar };

    /// <summary>A known constant (<c>__mark_reg_known</c>).</summary>
    public static RegValue Constant(long v) => new() { Types = RegTypes.Scalar, Known = ScalarKnowledge.Range, Min = v, Max = v };

    /// <summary>A scalar in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static RegValue Range(long min, long max) => new() { Types = RegTypes.Scalar, Known = ScalarKnowledge.Range, Min = min, Max = max };

    /// <summary>A scalar the kernel has no bounds for, produced at instruction <paramref name="insn"/>.</summary>
    public static RegValue Unbounded(int insn) => new() { Types = RegTypes.Scalar, Known = ScalarKnowledge.Unbounded, Origin = insn + 1 };

    /// <summary>True when this is a scalar (only) with one known value.</summary>
    public bool IsConstant => Types == RegTypes.Scalar && Known == ScalarKnowledge.Range && Min == Max;

    /// <summary>True when the set holds a pointer type (anything but a scalar or NOT_INIT).</summary>
    public bool MayBePointer => (Types & ~(RegTypes.Scalar | RegTypes.NotInit)) != 0;

    /// <summary>PTR_TO_CTX at offset 0.</summary>
    public static RegValue Ctx => new() { Types = RegTypes.Ctx };

    /// <summary>PTR_TO_STACK at <paramref name="offset"/>.</summary>
    public static RegValue Stack(int offset) => new() { Types = RegTypes.Stack, StackOffset = offset };

    /// <summary>A value of one type with no offset.</summary>
    public static RegValue Of(RegTypes t) => new() { Types = t };

    /// <summary>True when this is exactly the ctx pointer at offset 0 on every path.</summary>
    public bool IsExactCtx => Types == RegTypes.Ctx && CtxOffset == 0 && !CtxOffsetVaries && !CtxVarOffset;

    /// <summary>True when this is exactly one stack offset.</summary>
    public bool IsExactStack => Types == RegTypes.Stack && !StackOffsetVaries;

    /// <summary>Least upper bound of two values (paths meeting).</summary>
    public static RegValue Join(RegValue a, RegValue b)
    {
        if (a == b || b.Types == RegTypes.None)
        {
            return a;
        }

        if (a.Types == RegTypes.None)
        {
            return b;
        }

        var scalar = JoinScalar(a, b);
        bool aCtx = (a.Types & RegTypes.Ctx) != 0, bCtx = (b.Types & RegTypes.Ctx) != 0;
        bool aFp = (a.Types & RegTypes.Stack) != 0, bFp = (b.Types & RegTypes.Stack) != 0;
        return new RegValue
        {
            Types = a.Types | b.Types,
            CtxOffset = aCtx ? (a.CtxOffset != 0 || !bCtx ? a.CtxOffset : b.CtxOffset) : b.CtxOffset,
            CtxOffsetVaries = a.CtxOffsetVaries || b.CtxOffsetVaries || (aCtx && bCtx && a.CtxOffset != b.CtxOffset),
            CtxVarOffset = a.CtxVarOffset || b.CtxVarOffset,
            StackOffset = aFp ? a.StackOffset : b.StackOffset,
            StackOffsetVaries = a.StackOffsetVaries || b.StackOffsetVaries || (aFp && bFp && a.StackOffset != b.StackOffset),
            Known = scalar.Known,
            Min = scalar.Min,
            Max = scalar.Max,
            Origin = scalar.Origin,
        };
    }

    /// <summary>
    /// The join where a value that had a range widens to <see cref="ScalarKnowledge.Imprecise"/> instead of growing,
    /// so loops reach a fixpoint at once (a range is kept only while every path agrees on it).
    /// </summary>
    public static RegValue Widen(RegValue old, RegValue joined) =>
        old.Known == ScalarKnowledge.Range && joined.Known == ScalarKnowledge.Range && (old.Min != joined.Min || old.Max != joined.Max)
            ? joined with { Known = ScalarKnowledge.Imprecise, Min = 0, Max = 0 }
            : joined;

    /// <summary>The scalar parts joined: a range hull, unbounded with unbounded, else imprecise.</summary>
    private static (ScalarKnowledge Known, long Min, long Max, int Origin) JoinScalar(RegValue a, RegValue b)
    {
        bool aS = (a.Types & RegTypes.Scalar) != 0, bS = (b.Types & RegTypes.Scalar) != 0;
        if (!aS || !bS)
        {
            var only = aS ? a : b;
            return (only.Known, only.Min, only.Max, only.Origin);
        }

        return (a.Known, b.Known) switch
        {
            (ScalarKnowledge.Range, ScalarKnowledge.Range) => (ScalarKnowledge.Range, Math.Min(a.Min, b.Min), Math.Max(a.Max, b.Max), 0),
            (ScalarKnowledge.Unbounded, ScalarKnowledge.Unbounded) => (ScalarKnowledge.Unbounded, 0, 0, a.Origin == b.Origin ? a.Origin : 0),
            _ => (ScalarKnowledge.Imprecise, 0, 0, 0),
        };
    }

    /// <summary>The value after adding constant <paramref name="delta"/> (pointer arithmetic keeps the type).</summary>
    public RegValue AddConstant(long delta)
    {
        if ((Types & ~(RegTypes.Ctx | RegTypes.Stack | RegTypes.MapValue | RegTypes.Mem | RegTypes.OtherPtr | RegTypes.Scalar)) != 0)
        {
            // Arithmetic on NOT_INIT, maybe-null or map pointers: the verifier rejects it; model the result as scalar.
            return (Types & RegTypes.NotInit) != 0 ? this : Scalar;
        }

        return this with
        {
            Known = ScalarKnowledge.Imprecise,
            Min = 0,
            Max = 0,
            Origin = 0,
            CtxOffset = (Types & RegTypes.Ctx) != 0 ? (int)Math.Clamp(CtxOffset + delta, int.MinValue, int.MaxValue) : CtxOffset,
            StackOffset = (Types & RegTypes.Stack) != 0 ? (int)Math.Clamp(StackOffset + delta, int.MinValue, int.MaxValue) : StackOffset,
        };
    }

    /// <summary>The value after adding an unknown scalar.</summary>
    public RegValue AddVariable() => this with
    {
        Known = ScalarKnowledge.Imprecise,
        Min = 0,
        Max = 0,
        Origin = 0,
        CtxVarOffset = CtxVarOffset || (Types & RegTypes.Ctx) != 0,
        StackOffsetVaries = StackOffsetVaries || (Types & RegTypes.Stack) != 0,
    };

    /// <summary>The verifier's name for the first non-ctx type in the set (kernel <c>reg_type_str</c>).</summary>
    public string KernelTypeName(RegTypes exclude = RegTypes.None)
    {
        var t = Types & ~exclude;
        if ((t & RegTypes.Scalar) != 0) { return "scalar"; }
        if ((t & RegTypes.Stack) != 0) { return "fp"; }
        if ((t & RegTypes.MapValueOrNull) != 0) { return "map_value_or_null"; }
        if ((t & RegTypes.MapValue) != 0) { return "map_value"; }
        if ((t & RegTypes.MapPtr) != 0) { return "map_ptr"; }
        if ((t & RegTypes.MemOrNull) != 0) { return "mem_or_null"; }
        if ((t & RegTypes.Mem) != 0) { return "mem"; }
        if ((t & RegTypes.Func) != 0) { return "func"; }
        if ((t & RegTypes.OtherPtr) != 0) { return "ptr_"; }
        if ((t & RegTypes.Ctx) != 0) { return "ctx"; }
        return "?";
    }

    /// <summary>A short rendering for reports and tests, e.g. <c>ctx</c>, <c>ctx+8</c>, <c>fp-16</c>, <c>scalar|ctx</c>.</summary>
    public override string ToString()
    {
        if (Types == RegTypes.None)
        {
            return "none";
        }

        var parts = new List<string>();
        foreach (RegTypes flag in Enum.GetValues<RegTypes>())
        {
            if (flag == RegTypes.None || (Types & flag) == 0)
            {
                continue;
            }

            parts.Add(flag switch
            {
                RegTypes.NotInit => "!init",
                RegTypes.Ctx => CtxVarOffset ? "ctx+var" : CtxOffsetVaries ? "ctx+?" : CtxOffset == 0 ? "ctx" : $"ctx{CtxOffset:+#;-#}",
                RegTypes.Stack => StackOffsetVaries ? "fp+?" : $"fp{StackOffset:+#;-#;+0}",
                _ => Of(flag).KernelTypeName(),
            });
        }

        return string.Join("|", parts);
    }
}
