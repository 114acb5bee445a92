# Tracing helper calls for --kernel-inlines (do_misc_fixups, kernel/bpf/verifier.c): jumps across each sequence,
# forwards and backwards, and jumps landing on the call itself; the attach types that choose the sequence; a shared
# subprogram whose callers need different sequences; calls the kernel does not inline.
	.section "fexit/vfs_read","ax"
	.globl	exit_prog
	.type	exit_prog,@function
exit_prog:
	r6 = r1
	r7 = 0
	r1 = r6
	r3 = r10
	r3 += -8
	r2 = 0
	if r7 == 0 goto .Larg           # forward, lands exactly on the get_func_arg call
	r2 = 1
.Larg:
	call 183                        # bpf_get_func_arg: 10 instructions
	if r7 != 0 goto .Lip            # forward across the get_func_ret site
	r1 = r6
	r2 = r10
	r2 += -16
	call 184                        # bpf_get_func_ret with a return value: 7 instructions
.Lip:
	r1 = r6
	call 173                        # bpf_get_func_ip: 1 instruction
	r1 = r6
	call 185                        # bpf_get_func_arg_cnt: 2 instructions
	r7 += 1
	r1 = r6
	if r7 < 3 goto .Larg            # backward, lands exactly on the get_func_arg call
	r1 = r6
	call same_ret
	r1 = r6
	call mixed_ret
	r0 = 0
	exit
.Lfunc_end0:
	.size	exit_prog, .Lfunc_end0-exit_prog

	.section "fentry/vfs_read","ax"
	.globl	entry_prog
	.type	entry_prog,@function
entry_prog:
	r6 = r1
	r2 = r10
	r2 += -8
	call 184                        # bpf_get_func_ret without a return value: r0 = -EOPNOTSUPP
	r1 = r6
	call mixed_ret
	r0 = 0
	exit
.Lfunc_end1:
	.size	entry_prog, .Lfunc_end1-entry_prog

	.section "fmod_ret/vfs_read","ax"
	.globl	modret_prog
	.type	modret_prog,@function
modret_prog:
	r6 = r1
	call same_ret
	r0 = 0
	exit
.Lfunc_end2:
	.size	modret_prog, .Lfunc_end2-modret_prog

	.section "tp_btf/sched_switch","ax"
	.globl	tp_prog
	.type	tp_prog,@function
tp_prog:
	r2 = 0
	r3 = r10
	r3 += -8
	call 183                        # RAW_TP form needs nr_args from the tracepoint's BTF: kept without --kernel-btf
	r0 = 0
	exit
.Lfunc_end3:
	.size	tp_prog, .Lfunc_end3-tp_prog

	.section "kprobe/vfs_read","ax"
	.globl	kprobe_prog
	.type	kprobe_prog,@function
kprobe_prog:
	call 173                        # not a tracing program: kept
	r0 = 0
	exit
.Lfunc_end4:
	.size	kprobe_prog, .Lfunc_end4-kprobe_prog

	.text
	.type	same_ret,@function
same_ret:                               # reached by fexit and fmod_ret: the same 7 instructions
	r2 = r10
	r2 += -8
	call 184
	exit
.Lfunc_end5:
	.size	same_ret, .Lfunc_end5-same_ret

	.type	mixed_ret,@function
mixed_ret:                              # reached by fexit and fentry: different sequences, so kept
	r2 = r10
	r2 += -8
	call 184
	exit
.Lfunc_end6:
	.size	mixed_ret, .Lfunc_end6-mixed_ret

	.section "license","aw"
	.asciz	"GPL"
