#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Boot the kernel-tier guest once and load every given object in it:
#
#   tests/kernel/run.sh OUTDIR OBJECT...
#
# Needs the guest that prepare.sh builds (exit 3 with a reason when it is missing). Writes the record to OUTDIR:
#   objects/NAME.json   the loader's record for NAME.o (per program: loaded, errno, verifier log, libbpf's words,
#                       xlated bytes, and for bpf_fentry_test* targets the attach and BPF_PROG_TEST_RUN results)
#   objects/NAME.rc     the loader's exit status (124: the guest's per-object timeout fired)
#   kernel-release, bpftool-version, vmlinux.btf (the guest's /sys/kernel/btf/vmlinux), serial.log, accel
#
# The objects go in as a second, uncompressed newc cpio appended to the guest's initramfs (the kernel unpacks an
# appended archive only at a 4-byte-aligned offset: init/initramfs.c, unpack_to_rootfs); the records come out as a tar stream the
# guest writes onto a raw virtio disk. QEMU runs under a wall-clock limit and the guest bounds each object with
# `timeout`, so a hung guest ends the run with a failure naming the serial log.
#
# Environment: BPFFIXUP_KERNEL_CACHE (see prepare.sh), BPFFIXUP_KERNEL_ACCEL (kvm|tcg; default: KVM when a probe
# boot under it works, TCG otherwise; the probe's answer is kept in the cache), BPFFIXUP_KERNEL_TIMEOUT (the
# wall-clock limit in seconds; default 120 + 60 per object), BPFFIXUP_KERNEL_OBJECT_TIMEOUT (the guest's
# per-object limit, default 120).
set -euo pipefail

if [[ $# -lt 2 ]]; then
	echo "usage: $0 OUTDIR OBJECT..." >&2
	exit 2
fi
OUT="$1"
shift
CACHE="${BPFFIXUP_KERNEL_CACHE:-$HOME/.cache/bpffixup-kernel}"
G="$CACHE/guest"
QEMU="${QEMU:-qemu-system-x86_64}"
command -v "$QEMU" >/dev/null 2>&1 || { echo "run.sh: $QEMU not found" >&2; exit 3; }
[[ -f "$G/ready" && -f "$G/bzImage" && -f "$G/base.cpio" ]] ||
	{ echo "run.sh: no guest in $G: run tests/kernel/prepare.sh first" >&2; exit 3; }
for tool in cpio tar truncate timeout; do
	command -v "$tool" >/dev/null 2>&1 || { echo "run.sh: $tool not found" >&2; exit 3; }
done

per_object="${BPFFIXUP_KERNEL_OBJECT_TIMEOUT:-120}"
limit="${BPFFIXUP_KERNEL_TIMEOUT:-$((120 + 60 * $#))}"

mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd -P)"
work="$(mktemp -d "${TMPDIR:-/tmp}/bpffixup-kernel-run.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# The objects archive, appended after zero padding to a 4-byte boundary.
mkdir -p "$work/in/objects"
for obj in "$@"; do
	[[ -f "$obj" ]] || { echo "run.sh: $obj: no such file" >&2; exit 2; }
	cp "$obj" "$work/in/objects/"
done
(cd "$work/in" && find objects | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$work/objects.cpio"
cp "$G/base.cpio" "$work/initrd"
size=$(stat -c %s "$work/initrd")
pad=$(((4 - size % 4) % 4))
[[ $pad == 0 ]] || head -c "$pad" /dev/zero >> "$work/initrd"
cat "$work/objects.cpio" >> "$work/initrd"

truncate -s 256M "$work/out.img"

# boot ACCEL CPU LIMIT: one guest run; returns qemu's status (124 when the wall-clock limit ended it).
boot() {
	local accel="$1" cpu="$2" seconds="$3" rc=0
	: > "$OUT/serial.log"
	# The subshell keeps bash's own report of a qemu that aborted (the KVM probe) in qemu.log.
	(timeout -k 5 "$seconds" nice -n 5 "$QEMU" -accel "$accel" -cpu "$cpu" -smp 2 -m 2048 \
		-kernel "$G/bzImage" -initrd "$work/initrd" \
		-append "console=ttyS0 panic=-1 quiet loglevel=3 bpffixup.timeout=$per_object" \
		-drive "file=$work/out.img,format=raw,if=virtio" \
		-display none -monitor none -serial "file:$OUT/serial.log" -no-reboot -nodefaults \
		> "$OUT/qemu.log" 2>&1; exit $?) 2>> "$OUT/qemu.log" || rc=$?
	return $rc
}

accel="${BPFFIXUP_KERNEL_ACCEL:-}"
if [[ -z "$accel" && -f "$CACHE/accel" ]]; then
	accel="$(cat "$CACHE/accel")"
fi
if [[ -z "$accel" ]]; then
	# KVM only where it really works: on nested software virtualisation (kvm_pvm) -cpu host aborts and other
	# models stop in the decompressor (seen on this machine kind). A probe boot must reach the guest's /init quickly.
	accel=tcg
	if [[ -r /dev/kvm && -w /dev/kvm ]]; then
		if boot kvm host 60 && grep -q '^bpffixup-guest: done' "$OUT/serial.log"; then
			accel=kvm
		fi
		echo "run.sh: KVM probe: $(grep -m 1 -E 'error|failed|bpffixup-guest' "$OUT/qemu.log" "$OUT/serial.log" 2>/dev/null | head -n 1 || true) -> $accel" >&2
	fi
	echo "$accel" > "$CACHE/accel"
fi
if [[ $accel == kvm ]]; then cpu=host; accel_opt=kvm; else cpu=max; accel_opt=tcg,thread=multi; fi
echo "$accel_opt -cpu $cpu" > "$OUT/accel"

start=$(date +%s)
rc=0
boot "$accel_opt" "$cpu" "$limit" || rc=$?
if [[ $accel == kvm && -z "${BPFFIXUP_KERNEL_ACCEL:-}" ]] && ! grep -q '^bpffixup-guest: done' "$OUT/serial.log"; then
	# A cache made on a machine where KVM worked: fall back to TCG here, and remember that.
	echo "run.sh: the KVM boot did not finish (qemu status $rc); booting again under TCG" >&2
	echo tcg > "$CACHE/accel"
	cpu=max accel_opt=tcg,thread=multi rc=0
	echo "$accel_opt -cpu $cpu" > "$OUT/accel"
	boot "$accel_opt" "$cpu" "$limit" || rc=$?
fi
elapsed=$(($(date +%s) - start))
if [[ $rc == 124 || $rc == 137 ]]; then
	echo "run.sh: the guest did not finish within $limit s (wall-clock limit); last serial lines ($OUT/serial.log):" >&2
	tail -n 15 "$OUT/serial.log" >&2
	exit 1
fi
if ! grep -q '^bpffixup-guest: done' "$OUT/serial.log"; then
	echo "run.sh: the guest stopped without finishing (qemu status $rc); last serial lines ($OUT/serial.log):" >&2
	tail -n 15 "$OUT/serial.log" >&2
	tail -n 5 "$OUT/qemu.log" >&2
	exit 1
fi
rm -rf "$OUT/objects"
tar -xf "$work/out.img" -C "$OUT"
[[ -f "$OUT/complete" ]] || { echo "run.sh: the results disk holds no complete record" >&2; exit 1; }
echo "run.sh: $# objects in ${elapsed} s ($accel_opt); record in $OUT"
