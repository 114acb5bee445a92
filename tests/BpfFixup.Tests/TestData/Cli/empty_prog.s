# SPDX-License-Identifier: MIT
# An empty program (xdp, st_size 0) and a minimal tc program; build with ./regen.sh.
	.section	"xdp","ax",@progbits
	.globl	empty_prog
	.type	empty_prog,@function
empty_prog:
	.size	empty_prog, 0
	.section	"tc","ax",@progbits
	.globl	tc_prog
	.type	tc_prog,@function
tc_prog:
	r0 = 0
	exit
	.size	tc_prog, 16
	.section	"license","aw",@progbits
	.asciz	"GPL"
