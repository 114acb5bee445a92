# libbpf's image order (bpf_object__reloc_code: depth first, by first reference) differs from .text order and
# from a breadth-first walk: prog calls a then b; a calls c; b calls d then c. .text holds d, c, b, a.
# Expected image: prog, a, c, b, d (func#0..4).
	.text
	.type	d,@function
d:
	r0 = 0
	exit
.Ld_end:
	.size	d, .Ld_end-d

	.type	c,@function
c:
	r0 = 0
	exit
.Lc_end:
	.size	c, .Lc_end-c

	.type	b,@function
b:
	call d
	call c
	exit
.Lb_end:
	.size	b, .Lb_end-b

	.type	a,@function
a:
	call c
	exit
.La_end:
	.size	a, .La_end-a

	.section "fsession/vfs_read","ax"
	.globl	prog
	.type	prog,@function
prog:
	call a
	call b
	r0 = 0
	exit
.Lprog_end:
	.size	prog, .Lprog_end-prog
