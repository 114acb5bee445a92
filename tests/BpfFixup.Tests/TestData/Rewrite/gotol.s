# gotol (JMP32 JA, -mcpu=v4) across a site, forwards and backwards; 'lend' is a NOTYPE LOCAL label symbol
# (like inline-asm labels) whose value must move with its instruction.
	.section "fsession/vfs_read","ax"
	.globl	prog
	.type	prog,@function
prog:
	r6 = r1
	r7 = 0
.Ltop:
	r7 += 1
	gotol lend
	r1 = r6
	call bpf_session_cookie
lend:
	r1 = r6
	call bpf_session_is_return
	if r7 > 2 goto .Lexit
	gotol .Ltop
.Lexit:
	r0 = 0
	exit
.Lfunc_end0:
	.size	prog, .Lfunc_end0-prog
