# Static and global .text subprograms with sites, called from an fsession program: a static call from another
# section (through the .text section symbol), a static call within .text (pc-relative, no relocation) and a
# global call within .text (through the callee's symbol).
	.text
	.type	helper,@function
helper:
	call bpf_session_is_return
	exit
.Lhelper_end:
	.size	helper, .Lhelper_end-helper

	.type	is_ret,@function
is_ret:
	r6 = r1
	call helper
	r7 = r0
	r1 = r6
	call get_cookie
	r0 = r7
	exit
.Lis_ret_end:
	.size	is_ret, .Lis_ret_end-is_ret

	.globl	get_cookie
	.type	get_cookie,@function
get_cookie:
	if r1 == 0 goto .Lnull
	call bpf_session_cookie
	exit
.Lnull:
	r0 = 0
	exit
.Lget_cookie_end:
	.size	get_cookie, .Lget_cookie_end-get_cookie

	.section "fsession/vfs_read","ax"
	.globl	prog
	.type	prog,@function
prog:
	r6 = r1
	call is_ret
	r1 = r6
	call get_cookie
	r1 = r6
	call bpf_session_is_return
	r0 = 0
	exit
.Lfunc_end0:
	.size	prog, .Lfunc_end0-prog
