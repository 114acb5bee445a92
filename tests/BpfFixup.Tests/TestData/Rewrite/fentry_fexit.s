# Session kfuncs in fentry and fexit programs: not allowed.
	.section "fentry/vfs_read","ax"
	.globl	fe
	.type	fe,@function
fe:
	call bpf_session_is_return
	r0 = 0
	exit
.Lfe_end:
	.size	fe, .Lfe_end-fe

	.section "fexit/vfs_read","ax"
	.globl	fx
	.type	fx,@function
fx:
	call bpf_session_cookie
	r0 = 0
	exit
.Lfx_end:
	.size	fx, .Lfx_end-fx
