#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the initramfs of $WB_ARCH (build/initramfs.cpio.gz for x86_64,
# build/initramfs-arm64.cpio.gz for arm64): static busybox, initramfs/init
# and the kselftest suites named in config/selftests{,-noiommu,-soak},
# built statically against the uapi headers of the kernel under test and
# installed with their run_kselftest.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

root=$BUILD/initramfs$SFX
st=$BUILD/selftests$SFX
[ -d "$KOBJ/usr/include/linux" ] || "$TOP/scripts/kernel.sh" headers

# Debian's static busybox: the host's for x86_64; for arm64 the
# busybox-static:arm64 package, unpacked, not installed.
busybox=/bin/busybox
if [ "$WB_ARCH" = arm64 ]; then
	busybox=$BUILD/busybox-arm64/bin/busybox
	if [ ! -x "$busybox" ]; then
		tmp=$(mktemp -d)
		(cd "$tmp" && apt-get download -q busybox-static:arm64 >/dev/null 2>&1) ||
			die "cannot download busybox-static:arm64 (make deps adds the arm64 architecture)"
		dpkg -x "$tmp"/busybox-static_*_arm64.deb "$BUILD/busybox-arm64"
		rm -rf "$tmp"
	fi
fi

rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp}
cp "$busybox" "$root/bin/busybox"
# The applet list of the host's busybox, of the same Debian version.
for app in $(/bin/busybox --list); do
	[ "$app" = busybox ] || ln -s busybox "$root/bin/$app"
done
install -m 0755 "$TOP/initramfs/init" "$root/init"

# The kselftests, installed as kernel CI installs them: the suites of
# config/selftests{,-noiommu,-soak} (COLLECTION:TEST a line) built
# statically, with run_kselftest.sh, its runner and the suite's settings.
mkdir -p "$root/workbench"
targets=""
for list in selftests selftests-noiommu selftests-soak; do
	out=$root/workbench/list${list#selftests}
	grep -v -e '^#' -e '^$' "$TOP/config/$list" >"$out"
	targets="$targets $(cut -d: -f1 "$out")"
done
targets=$(echo $targets | tr ' ' '\n' | sort -u | tr '\n' ' ')
mkdir -p "$st"
make -s -C "$TREE/tools/testing/selftests" O="$st" TARGETS="$targets" \
	ARCH="$KARCH" CROSS_COMPILE="$CROSS" \
	KHDR_INCLUDES="-isystem $KOBJ/usr/include" LDFLAGS=-static \
	KSFT_INSTALL_PATH="$root/kselftest" install >/dev/null

install_timeout "$root"

(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --reproducible -R 0:0 --quiet) |
	gzip -n -1 >"$INITRD.new"
mv "$INITRD.new" "$INITRD"
