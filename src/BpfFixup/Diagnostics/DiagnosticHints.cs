// SPDX-License-Identifier: MIT
namespace BpfFixup.Diagnostics;

/// <summary>
/// One line per diagnostic id on how to fix what it reports: the <c>hint:</c> line of the text output. Null where
/// there is nothing to do (notes that only inform).
/// </summary>
public static class DiagnosticHints
{
    /// <summary>The hint for <paramref name="id"/>, or null.</summary>
    public static string? For(string id) => id switch
    {
        DiagnosticIds.MalformedElf => "the file is not a BPF ELF relocatable object or is damaged: rebuild it with clang -target bpf -c",
        DiagnosticIds.MalformedBtf or DiagnosticIds.MalformedBtfExt or DiagnosticIds.BtfExtOutOfBounds =>
            "the object's BTF is damaged: rebuild it with clang -g (or strip .BTF.ext with llvm-objcopy to check it without line info)",
        DiagnosticIds.ReachLimit => "split the object, or let fewer programs share the large subprograms",
        DiagnosticIds.IoError => "check the path, its permissions and the free space of the output's file system",
        DiagnosticIds.InvalidInstruction or DiagnosticIds.PartialSlot =>
            "the section is not a BPF instruction stream: rebuild the object, or fix what wrote this section",
        DiagnosticIds.BadRelocation or DiagnosticIds.BadSymbol => "the object's tables do not fit its code: rebuild it (or relink it with bpftool gen object)",
        DiagnosticIds.UnresolvedCall => "define the called function in the object, or declare the kernel function as an extern with __ksym",
        DiagnosticIds.JumpOutOfRange or DiagnosticIds.JumpIntoLdImm64 or DiagnosticIds.FallThroughEnd or DiagnosticIds.BadCallTarget =>
            "the control flow leaves the function's instructions: check the jump or call offset of hand-written code",
        DiagnosticIds.Unreachable => "remove the dead code (the kernel rejects instructions no path reaches)",
        DiagnosticIds.FramePointerWrite => "R10 (the frame pointer) is read-only: use another register",
        DiagnosticIds.UninitRead => "set the register before it is read; a session kfunc takes the program's ctx in R1",
        DiagnosticIds.KfuncNotAllowed => "bpf_session_is_return and bpf_session_cookie work only in fsession and kprobe/uprobe.session programs: use SEC(\"fsession/...\")",
        DiagnosticIds.ArgNotCtx => "pass the program's own ctx argument itself, e.g. bpf_session_cookie(ctx): not a copy on the stack, in a map or left in R1 by the compiler",
        DiagnosticIds.ModifiedCtx => "pass ctx unchanged; read the traced function's arguments with bpf_get_func_arg() or BPF_PROG's named arguments",
        DiagnosticIds.CtxNotInitialised => "declare the kfunc with Linux 7.0's prototype, e.g. extern bool bpf_session_is_return(void *ctx) __ksym, and pass ctx",
        DiagnosticIds.Recursion => "the verifier rejects recursion: rewrite it as a bounded loop or with bpf_loop()",
        DiagnosticIds.AnalysisLimit => "split the program into smaller global functions so that each can be followed",
        DiagnosticIds.CallStackTooDeep => "make the bpf-to-bpf call chain shorter (at most 8 frames, MAX_CALL_FRAMES)",
        DiagnosticIds.InvalidGlobalArgs => "tag the global function's ctx argument with __arg_ctx, or make the function static",
        DiagnosticIds.ReturnRange => "return a constant in the range the kernel names (an fsession program returns 0)",
        DiagnosticIds.PointerArithmetic => "the kernel allows only adding and subtracting offsets on this pointer: do the operation on a scalar",
        DiagnosticIds.KernelExtern => "declare the kfunc with the prototype of the kernel's BTF (bpftool btf dump file /sys/kernel/btf/vmlinux format c)",
        DiagnosticIds.AttachTarget => "attach to a function the kernel has (candidates in the note), or choose one at load time with bpf_program__set_attach_target()",
        DiagnosticIds.NotSleepable => "drop the .s from the section name, or attach to a function the kernel lets sleep (a syscall, an error-injection function)",
        DiagnosticIds.CtxArgument => "read only the arguments the target function has (its prototype is in the kernel's BTF)",
        DiagnosticIds.JumpRange => "the inlined code makes a jump longer than 16 bits can reach: split the function",
        DiagnosticIds.DebugStale => "run without --keep-debug to drop the DWARF sections whose addresses no longer hold",
        DiagnosticIds.OutputTooLarge => "patch fewer or smaller programs per object",
        _ => null,
    };
}
