#!/bin/busybox sh
# SPDX-License-Identifier: MIT
#
# /init of the kernel-tier guest (built by prepare.sh, booted by run.sh). It loads every object in /objects with
# the loader, each under `timeout`, and writes the records as a tar stream onto the raw virtio disk /dev/vda,
# then powers off. Every line starting with "bpffixup-guest:" is read by run.sh from the serial console.
/bin/busybox --install -s /bin
export PATH=/bin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "bpffixup-guest: booted $(uname -r)"

arg() { # the value of NAME=... on the kernel command line, or DEFAULT
	v="$(tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | tail -n 1)"
	echo "${v:-$2}"
}
per_object="$(arg bpffixup.timeout 120)"

fail() {
	echo "bpffixup-guest: FAILED: $*"
	poweroff -f
}

insmod /lib/modules/virtio_blk.ko || fail "insmod virtio_blk"
n=0
while [ ! -b /dev/vda ]; do
	n=$((n + 1))
	# Generous: under TCG on a busy host (the rest of the test suite runs beside it) the probe can be slow.
	[ $n -gt 600 ] && fail "no /dev/vda after 60 s"
	sleep 0.1
done
echo "bpffixup-guest: /dev/vda after $n polls of 0.1 s"

mkdir -p /out/objects
uname -r > /out/kernel-release
bpftool version > /out/bpftool-version 2>&1
cp /sys/kernel/btf/vmlinux /out/vmlinux.btf 2>/dev/null
for obj in /objects/*.o; do
	name="$(basename "$obj" .o)"
	start="$(cut -d ' ' -f 1 /proc/uptime)"
	timeout "$per_object" /usr/local/bin/bpffixup-kernel-loader "$obj" "/out/objects/$name.json" \
		> "/out/objects/$name.stderr" 2>&1
	rc=$?
	echo "$rc" > "/out/objects/$name.rc"
	echo "bpffixup-guest: object $name rc=$rc started=$start ended=$(cut -d ' ' -f 1 /proc/uptime)"
done
echo ok > /out/complete
tar -cf /dev/vda -C /out . || fail "tar onto /dev/vda"
sync
echo "bpffixup-guest: done"
poweroff -f
