# The 0-argument prototype: r1 was clobbered by a helper call and never set again.
	.section "fsession/vfs_read","ax"
	.globl	prog
	.type	prog,@function
prog:
	call 5
	call bpf_session_is_return
	r0 = 0
	exit
.Lfunc_end0:
	.size	prog, .Lfunc_end0-prog
