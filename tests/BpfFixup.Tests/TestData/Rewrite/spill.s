# ctx spilled to the stack and reloaded before each call (the shape clang-19 -O2 emits).
	.section "fsession/vfs_read","ax"
	.globl	prog
	.type	prog,@function
prog:
	*(u64 *)(r10 - 48) = r1
	call 5
	r1 = *(u64 *)(r10 - 48)
	call bpf_session_is_return
	*(u64 *)(r10 - 8) = r0
	r1 = *(u64 *)(r10 - 48)
	call bpf_session_cookie
	r0 = 0
	exit
.Lfunc_end0:
	.size	prog, .Lfunc_end0-prog
