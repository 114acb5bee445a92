// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>
/// The instructions the type analysis may process for one whole object, fixpoint and reporting transfers of every
/// program together: <see cref="PerInstruction"/> per instruction of the object plus <see cref="Constant"/>. The
/// kernel bounds the work of one program the same way: kernel/bpf/verifier.c <c>do_check</c> counts
/// <c>env-&gt;insn_processed</c> and stops past BPF_COMPLEXITY_LIMIT_INSNS (1,000,000, include/linux/bpf.h) with
/// "BPF program is too large. Processed %d insn". Here the bound scales with the object, so that its cost stays a
/// fixed multiple of its size (issue 8) whatever the programs, contexts and branches multiply to.
/// </summary>
internal sealed class AnalysisBudget
{
    /// <summary>Instructions that may be processed per instruction of the object.</summary>
    public const long PerInstruction = 64;

    /// <summary>Instructions that may be processed whatever the object's size: the kernel's limit for one program.</summary>
    public const long Constant = 1_000_000;

    /// <summary>A budget of <paramref name="limit"/> processed instructions.</summary>
    public AnalysisBudget(long limit) => Limit = limit;

    /// <summary>The budget of an object of <paramref name="instructions"/> instructions.</summary>
    public static AnalysisBudget ForObject(long instructions) => new((PerInstruction * instructions) + Constant);

    /// <summary>The budget of <paramref name="obj"/>: <see cref="ForObject(long)"/> of <see cref="InstructionsOf"/>.</summary>
    public static AnalysisBudget ForObject(BpfObject obj) => ForObject(InstructionsOf(obj));

    /// <summary>The instructions of every code section of <paramref name="obj"/>: what the budget is a multiple of.</summary>
    public static long InstructionsOf(BpfObject obj)
    {
        long n = 0;
        foreach (var s in obj.CodeSections)
        {
            n += s.Instructions.Length;
        }

        return n;
    }

    /// <summary>The instructions that may be processed.</summary>
    public long Limit { get; }

    /// <summary>The instructions processed so far.</summary>
    public long Processed { get; private set; }

    /// <summary>True once <see cref="Processed"/> has passed <see cref="Limit"/>: the analysis stops.</summary>
    public bool Exhausted => Processed > Limit;

    /// <summary>Counts <paramref name="instructions"/> more processed; false once the budget is exhausted.</summary>
    public bool Spend(int instructions)
    {
        Processed += instructions;
        return Processed <= Limit;
    }

    /// <summary>The error, in the kernel's words (<c>do_check</c>), with this object's limit.</summary>
    public string Message =>
        $"BPF program is too large. Processed {Processed} insn (this object's analysis stops past {Limit} = {PerInstruction} x its instructions + {Constant}; the kernel's do_check stops a program past BPF_COMPLEXITY_LIMIT_INSNS)";

    /// <summary>The error once the budget is exhausted, at the entry of <paramref name="program"/> (named as <paramref name="programName"/>, or not).</summary>
    public Diagnostic ErrorAt(BpfObject obj, BpfFunction program, string? programName) =>
        obj.DiagnosticAt(program, program.StartInsn, DiagnosticIds.AnalysisLimit, Severity.Error, Message, programName);
}
