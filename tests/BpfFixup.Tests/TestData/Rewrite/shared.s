# One static subprogram called from an fsession and a kprobe.session program: it is specialised.
	.text
	.type	mark,@function
mark:
	# r1 is the caller's ctx
	call bpf_session_is_return
	if r0 == 0 goto .Lentry
	r0 = 1
	exit
.Lentry:
	r0 = 0
	exit
.Lmark_end:
	.size	mark, .Lmark_end-mark

	.section "fsession/vfs_read","ax"
	.globl	fs
	.type	fs,@function
fs:
	r6 = r1
	call mark
	r1 = r6
	call bpf_session_cookie
	r0 = 0
	exit
.Lfs_end:
	.size	fs, .Lfs_end-fs

	.section "kprobe.session/vfs_read","ax"
	.globl	kp
	.type	kp,@function
kp:
	r6 = r1
	call mark
	r1 = r6
	call bpf_session_cookie
	r0 = 0
	exit
.Lkp_end:
	.size	kp, .Lkp_end-kp
