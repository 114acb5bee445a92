# r1 = fp - 16, a stack pointer.
	.section "fsession/vfs_read","ax"
	.globl	prog
	.type	prog,@function
prog:
	r1 = r10
	r1 += -16
	call bpf_session_is_return
	r0 = 0
	exit
.Lfunc_end0:
	.size	prog, .Lfunc_end0-prog
