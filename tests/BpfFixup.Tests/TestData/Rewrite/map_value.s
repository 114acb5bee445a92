# r1 = &counter + 8, a map value (.bss global).
	.section "fsession/vfs_read","ax"
	.globl	prog
	.type	prog,@function
prog:
	r1 = counter ll
	r1 += 8
	call bpf_session_cookie
	r0 = 0
	exit
.Lfunc_end0:
	.size	prog, .Lfunc_end0-prog

	.bss
	.globl	counter
	.type	counter,@object
	.p2align	3
counter:
	.quad	0
	.quad	0
	.size	counter, 16
