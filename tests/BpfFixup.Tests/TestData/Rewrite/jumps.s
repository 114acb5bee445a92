# Jumps across sites forwards and backwards, and jumps landing on the call itself.
	.section "fsession/vfs_read","ax"
	.globl	prog
	.type	prog,@function
prog:
	r6 = r1
	r7 = 0
	if r7 == 0 goto .Lover          # forward across the is_return site
	r1 = r6
	call bpf_session_is_return
	r7 = r0
	r1 = r6
.Lover:
	if r7 != 0 goto .Lcookie        # forward, lands exactly on the cookie call
	r1 = r6
.Lcookie:
	call bpf_session_cookie
	r8 = r0
	r7 += 1
	r1 = r6
	if r7 < 3 goto .Lcookie         # backward, lands exactly on the cookie call
	if r7 < 5 goto .Lover           # backward across the cookie site
	r0 = 0
	exit
.Lfunc_end0:
	.size	prog, .Lfunc_end0-prog
