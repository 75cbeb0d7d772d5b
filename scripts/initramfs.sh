#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build build/initramfs.cpio.gz: static busybox, initramfs/init and the
# kselftests named in config/selftests and config/selftests-noiommu, built
# statically against the uapi headers of the kernel under test.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

root=$BUILD/initramfs
st=$BUILD/selftests
[ -d "$KOBJ/usr/include/linux" ] || "$TOP/scripts/kernel.sh" headers

rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,selftests}
cp /bin/busybox "$root/bin/busybox"
for app in $("$root/bin/busybox" --list); do
	[ "$app" = busybox ] || ln -s busybox "$root/bin/$app"
done
install -m 0755 "$TOP/initramfs/init" "$root/init"

for list in selftests selftests-noiommu; do
out=$root/selftests/list${list#selftests}
: >"$out"
grep -v -e '^#' -e '^$' "$TOP/config/$list" | while read -r t; do
	dir=${t%/*}
	mkdir -p "$st/$dir" "$root/selftests/$dir"
	make -s -C "$TREE/tools/testing/selftests/$dir" OUTPUT="$st/$dir" \
		KHDR_INCLUDES="-isystem $KOBJ/usr/include" LDFLAGS=-static
	# The tests and any helper program built beside them (the demo).
	find "$st/$dir" -maxdepth 1 -type f -perm -u+x -exec cp {} "$root/selftests/$dir/" \;
	echo "$t" >>"$out"
done
done

(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --reproducible -R 0:0 --quiet) |
	gzip -n -1 >"$BUILD/initramfs.cpio.gz.new"
mv "$BUILD/initramfs.cpio.gz.new" "$BUILD/initramfs.cpio.gz"
