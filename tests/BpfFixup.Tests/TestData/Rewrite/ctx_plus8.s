# r1 = ctx + 8: the kernel refuses a modified ctx pointer.
	.section "fsession/vfs_read","ax"
	.globl	prog
	.type	prog,@function
prog:
	r1 += 8
	call bpf_session_is_return
	r0 = 0
	exit
.Lfunc_end0:
	.size	prog, .Lfunc_end0-prog
