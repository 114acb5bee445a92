#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Fetch the kernel tier's guest parts from Debian sid and build the guest into the cache (outside the repository):
#
#   tests/kernel/prepare.sh          # idempotent; a warm cache returns in well under a second
#
# Cache: ${BPFFIXUP_KERNEL_CACHE:-$HOME/.cache/bpffixup-kernel}. Nothing is installed and the system's apt
# sources are never changed: apt runs with a private configuration (its own sources.list, lists, archives and
# an empty dpkg status) that names sid on the mirror the system already uses, packages are downloaded with
# `apt-get download` and unpacked with `dpkg-deb -x` into the cache.
#
# The unpacked packages are removed once the guest is built; the downloaded .debs stay, so a rebuild (a change
# to prepare.sh, loader.c or guest-init.sh) needs no network.
#
# The guest (cache/guest/): the bzImage of linux-binary-$KERNEL_ABI, and base.cpio, an uncompressed newc
# initramfs holding sid's busybox-static, glibc and libraries, bpftool (7.8, bundling libbpf 1.8), libbpf 1.7,
# the loader (loader.c, compiled here against sid's libbpf headers and linked against sid's libbpf.so.1), the
# virtio_blk module and guest-init.sh as /init. run.sh appends the objects to it and boots it.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
CACHE="${BPFFIXUP_KERNEL_CACHE:-$HOME/.cache/bpffixup-kernel}"
# The kernel the tier is about (Linux 7.2, as Debian sid serves it).
KERNEL_ABI="${BPFFIXUP_KERNEL_ABI:-7.2.13+deb14-cloud-amd64}"
PACKAGES=(
	"linux-binary-$KERNEL_ABI" "linux-modules-$KERNEL_ABI"
	bpftool libbpf1 libbpf-dev
	libc6 libelf1t64 zlib1g libzstd1 libcap2 libssl3t64 libgcc-s1 busybox-static
)
CC="${CC:-cc}"

for tool in apt-get dpkg-deb cpio xz "$CC"; do
	command -v "$tool" >/dev/null 2>&1 || { echo "prepare.sh: $tool not found" >&2; exit 1; }
done

# The inputs of the guest; a change to any of them rebuilds it.
inputs_hash() {
	{ cat "$HERE/prepare.sh" "$HERE/loader.c" "$HERE/guest-init.sh"; echo "$KERNEL_ABI"; } | sha256sum | cut -d ' ' -f 1
}
want="$(inputs_hash)"
if [[ -f "$CACHE/guest/ready" && "$(cat "$CACHE/guest/ready")" == "$want" ]]; then
	echo "prepare.sh: guest ready in $CACHE/guest"
	exit 0
fi

mkdir -p "$CACHE"
APT="$CACHE/apt"
mkdir -p "$APT/lists/partial" "$APT/archives/partial" "$APT/debs"

# The Debian mirror the system uses, from its own apt sources (one-line or deb822 format).
mirror="$(grep -h -s -E '^[[:space:]]*(deb[[:space:]]|URIs:)' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
	/etc/apt/sources.list.d/*.sources | grep -v -E 'security|updates' |
	grep -o -E 'https?://[^[:space:]]+' | head -n 1 || true)"
[[ -n "$mirror" ]] || { echo "prepare.sh: no Debian mirror URL in /etc/apt/sources.list*" >&2; exit 1; }
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
echo "deb [signed-by=$keyring] $mirror sid main" > "$APT/sources.list"
APT_OPTS=(
	-o "Dir::Etc::sourcelist=$APT/sources.list" -o Dir::Etc::sourceparts=/dev/null
	-o "Dir::State::Lists=$APT/lists" -o "Dir::Cache::Archives=$APT/archives"
	-o Dir::State::status=/dev/null -o APT::Architecture=amd64 -o Acquire::Languages=none
	-o Debug::NoLocking=true -o APT::Sandbox::User=root
)

have_all_debs() {
	local p
	for p in "${PACKAGES[@]}"; do
		compgen -G "$APT/debs/${p}_*.deb" >/dev/null || return 1
	done
}
if ! have_all_debs; then
	echo "prepare.sh: fetching ${#PACKAGES[@]} packages from $mirror sid"
	timeout 300 apt-get -q "${APT_OPTS[@]}" update
	rm -f "$APT/debs/"*.deb
	(cd "$APT/debs" && timeout 600 apt-get -q "${APT_OPTS[@]}" download "${PACKAGES[@]}")
fi

ROOT="$CACHE/root"
rm -rf "$ROOT" "$CACHE/guest.tmp"
mkdir -p "$ROOT"
for deb in "$APT/debs/"*.deb; do
	dpkg-deb -x "$deb" "$ROOT"
done
(cd "$APT/debs" && ls -1 *.deb) > "$CACHE/versions.txt"

LIB="$ROOT/usr/lib/x86_64-linux-gnu"
KDIR="$ROOT/usr/lib/modules/$KERNEL_ABI"
[[ -f "$KDIR/vmlinuz" ]] || { echo "prepare.sh: $KDIR/vmlinuz missing from linux-binary-$KERNEL_ABI" >&2; exit 1; }

G="$CACHE/guest.tmp"
S="$G/stage"
mkdir -p "$S"/{bin,usr/bin,usr/sbin,usr/local/bin,lib/modules,lib64,proc,sys,dev,objects,out,tmp}
mkdir -p "$S/usr/lib/x86_64-linux-gnu"

# The loader: sid's libbpf 1.7 headers, linked against its libbpf.so.1. The host's libc is older than sid's, so
# the symbols sid's libraries take from glibc 2.43 are left for the guest's dynamic linker to resolve.
"$CC" -O2 -Wall -Wextra -Werror -o "$S/usr/local/bin/bpffixup-kernel-loader" "$HERE/loader.c" \
	-I"$ROOT/usr/include" -L"$LIB" -lbpf -Wl,-rpath-link="$LIB" -Wl,--allow-shlib-undefined

cp "$ROOT/usr/bin/busybox" "$S/bin/busybox"
cp "$ROOT/usr/sbin/bpftool" "$S/usr/sbin/bpftool"
cp -a "$LIB"/*.so* "$S/usr/lib/x86_64-linux-gnu/"
ln -s ../usr/lib/x86_64-linux-gnu "$S/lib/x86_64-linux-gnu"
ln -s ../usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$S/lib64/ld-linux-x86-64.so.2"
xz -dc "$KDIR/kernel/drivers/block/virtio_blk.ko.xz" > "$S/lib/modules/virtio_blk.ko"
install -m 0755 "$HERE/guest-init.sh" "$S/init"

# Uncompressed newc, entries in sorted order with fixed owners and times, so the same inputs give the same bytes.
find "$S" -exec touch -h -d @0 {} +
(cd "$S" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 --reproducible) > "$G/base.cpio"
cp "$KDIR/vmlinuz" "$G/bzImage"
rm -rf "$S" "$ROOT"
echo "$want" > "$G/ready"
rm -rf "$CACHE/guest"
mv "$G" "$CACHE/guest"
echo "prepare.sh: guest built in $CACHE/guest ($(du -sh "$CACHE/guest" | cut -f 1)); packages: $(wc -l < "$CACHE/versions.txt")"
