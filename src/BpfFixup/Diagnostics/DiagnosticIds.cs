// SPDX-License-Identifier: MIT
namespace BpfFixup.Diagnostics;

/// <summary>
/// Stable diagnostic ids. BPF1xxx: the file (ELF, BTF); BPF2xxx: the instruction stream and program model;
/// BPF3xxx: the verifier-like analysis; BPF4xxx: the rewrite.
/// </summary>
public static class DiagnosticIds
{
    /// <summary>The file is not an ELF64 BPF relocatable object, or a structure in it is malformed.</summary>
    public const string MalformedElf = "BPF1001";
    /// <summary>.BTF is malformed.</summary>
    public const string MalformedBtf = "BPF1002";
    /// <summary>.BTF.ext is malformed.</summary>
    public const string MalformedBtfExt = "BPF1003";
    /// <summary>A .BTF.ext record points outside its section or is not 8-byte aligned.</summary>
    public const string BtfExtOutOfBounds = "BPF1004";
    /// <summary>The file could not be read or written.</summary>
    public const string IoError = "BPF1005";
    /// <summary>The programs reach more code in all, with the subprograms each calls, than the tool follows in one object.</summary>
    public const string ReachLimit = "BPF1006";

    /// <summary>An undefined instruction encoding.</summary>
    public const string InvalidInstruction = "BPF2001";
    /// <summary>A code section's size is not a multiple of 8.</summary>
    public const string PartialSlot = "BPF2002";
    /// <summary>A relocation is malformed or sits on the wrong kind of instruction.</summary>
    public const string BadRelocation = "BPF2003";
    /// <summary>A call whose target cannot be resolved.</summary>
    public const string UnresolvedCall = "BPF2004";
    /// <summary>A FUNC symbol that is out of its section's bounds.</summary>
    public const string BadSymbol = "BPF2005";

    /// <summary>Jump out of range (kernel: "jump out of range from insn %d to %d").</summary>
    public const string JumpOutOfRange = "BPF3001";
    /// <summary>Jump into the middle of an ld_imm64.</summary>
    public const string JumpIntoLdImm64 = "BPF3002";
    /// <summary>Falling through the end of a function (kernel: "last insn is not an exit or jmp").</summary>
    public const string FallThroughEnd = "BPF3003";
    /// <summary>Unreachable instruction (kernel: "unreachable insn %d").</summary>
    public const string Unreachable = "BPF3004";
    /// <summary>A back-edge (a loop); legal when bounded.</summary>
    public const string BackEdge = "BPF3005";
    /// <summary>Write to the frame pointer (kernel: "frame pointer is read only").</summary>
    public const string FramePointerWrite = "BPF3006";
    /// <summary>Read of an uninitialised register (kernel: "R%d !read_ok").</summary>
    public const string UninitRead = "BPF3007";
    /// <summary>Session kfunc called from a program type that may not call it.</summary>
    public const string KfuncNotAllowed = "BPF3010";
    /// <summary>Session kfunc called with r1 not the ctx pointer.</summary>
    public const string ArgNotCtx = "BPF3011";
    /// <summary>Session kfunc called with a modified ctx pointer.</summary>
    public const string ModifiedCtx = "BPF3012";
    /// <summary>Session kfunc called with r1 uninitialised (0-argument prototype).</summary>
    public const string CtxNotInitialised = "BPF3013";
    /// <summary>Call to an unknown target.</summary>
    public const string BadCallTarget = "BPF3014";
    /// <summary>Recursion between bpf-to-bpf calls.</summary>
    public const string Recursion = "BPF3015";
    /// <summary>Analysis gave up (state explosion or too many instructions).</summary>
    public const string AnalysisLimit = "BPF3016";
    /// <summary>A bpf-to-bpf call chain deeper than MAX_CALL_FRAMES (kernel: "the call stack of %d frames is too deep").</summary>
    public const string CallStackTooDeep = "BPF3017";
    /// <summary>A global subprogram's argument the kernel cannot type (kernel: "arg#%d reference type('%s %s') size cannot be determined: %ld", then "Caller passes invalid args into func#%d ('%s')").</summary>
    public const string InvalidGlobalArgs = "BPF3018";
    /// <summary>R0 at program exit outside the range the program type allows (kernel: check_return_code).</summary>
    public const string ReturnRange = "BPF3019";
    /// <summary>Arithmetic the kernel forbids on a pointer (kernel: adjust_reg_min_max_vals, adjust_ptr_min_max_vals).</summary>
    public const string PointerArithmetic = "BPF3021";
    /// <summary>A kfunc extern the kernel's BTF lacks or declares otherwise (libbpf: "extern (func ksym) '%s': func_proto [%d] incompatible with %s [%d]").</summary>
    public const string KernelExtern = "BPF3022";
    /// <summary>An attach target the kernel's BTF lacks (libbpf: "prog '%s': failed to find kernel BTF type ID of '%s': %s").</summary>
    public const string AttachTarget = "BPF3023";
    /// <summary>A sleepable program on a function the kernel does not let sleep (kernel: "%s is not sleepable").</summary>
    public const string NotSleepable = "BPF3024";
    /// <summary>A ctx load the target's prototype does not allow (kernel: "func '%s' doesn't have %d-th argument", then "invalid bpf_context access off=%d size=%d").</summary>
    public const string CtxArgument = "BPF3025";
    /// <summary>Per-call-site verdict (note).</summary>
    public const string CallSite = "BPF3020";
    /// <summary>A program's findings in a shared function that an earlier program's report already holds (note; <see cref="RepeatedDiagnostics"/>).</summary>
    public const string Repeated = "BPF3026";

    /// <summary>A patched jump no longer fits its field (kernel: "insn %d cannot be patched due to 16-bit range").</summary>
    public const string JumpRange = "BPF4001";
    /// <summary>DWARF sections dropped because code moved.</summary>
    public const string DebugDropped = "BPF4002";
    /// <summary>DWARF sections kept although code moved (stale).</summary>
    public const string DebugStale = "BPF4003";
    /// <summary>A subprogram was specialised for fsession callers.</summary>
    public const string Specialised = "BPF4004";
    /// <summary>The patched object cannot be laid out (it would not fit a file this tool can write).</summary>
    public const string OutputTooLarge = "BPF4005";
}
