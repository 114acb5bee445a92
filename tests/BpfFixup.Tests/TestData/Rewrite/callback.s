# A callback ld_imm64 (r2 = cb ll) against a static .text function, used with bpf_loop, around a site.
	.text
	.type	pad,@function
pad:
	r0 = 1
	exit
.Lpad_end:
	.size	pad, .Lpad_end-pad

	.type	cb,@function
cb:
	r0 = 0
	exit
.Lcb_end:
	.size	cb, .Lcb_end-cb

	.section "fsession/vfs_read","ax"
	.globl	prog
	.type	prog,@function
prog:
	r6 = r1
	r1 = r6
	call bpf_session_is_return
	r1 = 4
	r2 = cb ll
	r3 = 0
	r4 = 0
	call 181
	r1 = r6
	call bpf_session_cookie
	r0 = 0
	exit
.Lfunc_end0:
	.size	prog, .Lfunc_end0-prog
