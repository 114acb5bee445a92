# Bytes after a FUNC symbol's st_size that no symbol covers: libbpf never loads them, so no 'unreachable insn'
# and no 'last insn is not an exit or jmp' for them.
	.section "fsession/vfs_read","ax"
	.globl	prog
	.type	prog,@function
prog:
	r0 = 0
	exit
.Lprog_end:
	.size	prog, .Lprog_end-prog
	r0 = 1
	r1 = 2
