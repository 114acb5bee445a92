# A bpf_loop callback that calls a session kfunc: the kernel verifies the callback with the helper's
# arguments (r1 = the loop index), so R1 is a scalar there, never the program's ctx.
	.text
	.type	cb,@function
cb:
	call bpf_session_is_return
	r0 = 0
	exit
.Lcb_end:
	.size	cb, .Lcb_end-cb

	.section "fsession/vfs_read","ax"
	.globl	prog
	.type	prog,@function
prog:
	r1 = 4
	r2 = cb ll
	r3 = 0
	r4 = 0
	call 181
	r0 = 0
	exit
.Lfunc_end0:
	.size	prog, .Lfunc_end0-prog
