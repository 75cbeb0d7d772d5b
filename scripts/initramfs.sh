#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the initramfs of $WB_ARCH (build/initramfs.cpio.gz for x86_64,
# build/initramfs-arm64.cpio.gz for arm64): static busybox, initramfs/init
# and the kselftests named in config/selftests{,-noiommu,-soak},
# built statically against the uapi headers of the kernel under test.
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
mkdir -p "$root"/{bin,dev,proc,sys,tmp,selftests}
cp "$busybox" "$root/bin/busybox"
# The applet list of the host's busybox, of the same Debian version.
for app in $(/bin/busybox --list); do
	[ "$app" = busybox ] || ln -s busybox "$root/bin/$app"
done
install -m 0755 "$TOP/initramfs/init" "$root/init"

for list in selftests selftests-noiommu selftests-soak; do
out=$root/selftests/list${list#selftests}
: >"$out"
grep -v -e '^#' -e '^$' "$TOP/config/$list" | while read -r t; do
	dir=${t%/*}
	mkdir -p "$st/$dir" "$root/selftests/$dir"
	make -s -C "$TREE/tools/testing/selftests/$dir" OUTPUT="$st/$dir" \
		ARCH="$KARCH" CROSS_COMPILE="$CROSS" \
		KHDR_INCLUDES="-isystem $KOBJ/usr/include" LDFLAGS=-static
	# The tests and any helper program built beside them (the demo).
	find "$st/$dir" -maxdepth 1 -type f -perm -u+x -exec cp {} "$root/selftests/$dir/" \;
	echo "$t" >>"$out"
done
done

(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --reproducible -R 0:0 --quiet) |
	gzip -n -1 >"$INITRD.new"
mv "$INITRD.new" "$INITRD"
