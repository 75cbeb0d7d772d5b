# SPDX-License-Identifier: GPL-2.0
# Common settings for the workbench scripts; sourced, never run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
# $WB_TREE and $WB_KOBJ point kernel.sh at another tree and object
# directory (make bench builds Debian's 6.12 and a 6.1 without the debug
# set that way).
TREE=${WB_TREE:-$BUILD/linux}
PATCHES=$TOP/patches

# The architecture under test, from $WB_ARCH or $ARCH: x86_64 (QEMU q35
# with VT-d) or arm64 (QEMU virt with SMMUv3). Each has its own kernel,
# initramfs and logs; x86_64 keeps the plain names.
WB_ARCH=${WB_ARCH:-${ARCH:-x86_64}}
case "$WB_ARCH" in
x86_64|x86)
	WB_ARCH=x86_64 KARCH=x86_64 CROSS= KTARGET=bzImage
	KIMAGE=arch/x86/boot/bzImage SFX= ;;
arm64|aarch64)
	WB_ARCH=arm64 KARCH=arm64 CROSS=aarch64-linux-gnu- KTARGET=Image
	KIMAGE=arch/arm64/boot/Image SFX=-arm64 ;;
*)
	printf 'error: unknown architecture "%s" (x86_64 or arm64)\n' "$WB_ARCH" >&2
	exit 1 ;;
esac
export WB_ARCH
KOBJ=${WB_KOBJ:-$BUILD/kernel$SFX}
INITRD=$BUILD/initramfs$SFX.cpio.gz
LOGS=$BUILD/logs${SFX:+/$WB_ARCH}

# The base the series is written against, pinned.
DEB_PKG=linux-source-6.1
DEB_VERSION=6.1.192-2
DEB_TARBALL=/usr/src/linux-source-6.1.tar.xz
# make bench compares with iommufd's fault queue in Debian's 6.12, pinned
# too.
BENCH_DEB_PKG=linux-source-6.12
BENCH_DEB_VERSION=6.12.117-1~deb12u1
BENCH_DEB_TARBALL=/usr/src/linux-source-6.12.tar.xz
# The mainline series (patches-mainline/, make test-mainline) is written
# against Debian unstable's 7.2, pinned. It comes through a private apt
# state in build/apt-unstable (the machine's own apt configuration is left
# as it is), from the unstable suite of the mirror the machine uses.
MAIN_DEB_PKG=linux-source-7.2
MAIN_DEB_VERSION=7.2.13-1
MAIN_BASE_DATE="Wed, 28 Oct 2026 16:01:55 +0100"
# The date of that package's changelog entry: the 6.12 base commit's date
# (make test-6.12, the second series).
BENCH_BASE_DATE="Sat, 14 Nov 2026 13:56:01 +0100"
# Identity and date of the base commit: the package's maintainer and the
# date of its changelog entry, so the base hash is the same everywhere.
BASE_IDENT_NAME="Debian Kernel Team"
BASE_IDENT_EMAIL="debian-kernel@lists.debian.org"
BASE_DATE="Mon, 16 Nov 2026 11:17:40 +0100"
# Committer of the series' commits in build/linux: the tree is made by the
# workbench, not by whoever runs it, so it needs no git identity of the
# user's (a newcomer may have none) and its commit ids are the same on every
# machine. Authors come from the patches.
TREE_IDENT_NAME="Series workbench"
TREE_IDENT_EMAIL="workbench@localhost.invalid"

export CCACHE_DIR=${CCACHE_DIR:-$HOME/.ccache}
export PYTHONDONTWRITEBYTECODE=1
JOBS=${JOBS:-$(nproc)}

die() { printf 'error: %s\n' "$*" >&2; exit 1; }
note() { printf '==> %s\n' "$*" >&2; }

# Seconds since the epoch, for stage timings.
now() { date +%s; }

# A bare x86_64 initramfs tree in $1 for make bench and make test-6.12:
# the host's static busybox, initramfs/init, an empty /bench for the
# programs the caller adds. pack_root $1 $2 makes the cpio archive $2.
bench_root() {
	rm -rf "$1"
	mkdir -p "$1"/{bin,dev,proc,sys,tmp,bench}
	cp /bin/busybox "$1/bin/busybox"
	for app in $(/bin/busybox --list); do
		[ "$app" = busybox ] || ln -s busybox "$1/bin/$app"
	done
	install -m 0755 "$TOP/initramfs/init" "$1/init"
}
# coreutils' timeout and the C library it is linked against, into the
# initramfs tree $1: run_kselftest.sh's runner times tests out with it
# (busybox's lacks --foreground). x86_64: the host's; arm64: Debian's arm64
# packages, unpacked.
install_timeout() {
	local root=$1 cu tmp lib deb
	mkdir -p "$root/usr/bin"
	if [ "$WB_ARCH" = arm64 ]; then
		cu=$BUILD/coreutils-arm64
		if [ ! -x "$cu/usr/bin/timeout" ]; then
			tmp=$(mktemp -d)
			(cd "$tmp" && apt-get download -q coreutils:arm64 libc6:arm64 >/dev/null 2>&1) ||
				die "cannot download coreutils:arm64 and libc6:arm64"
			rm -rf "$cu"
			for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$cu"; done
			rm -rf "$tmp"
		fi
		cp "$cu/usr/bin/timeout" "$root/usr/bin/timeout"
		mkdir -p "$root/lib/aarch64-linux-gnu"
		cp -L "$cu/lib/ld-linux-aarch64.so.1" "$root/lib/"
		cp -L "$cu/lib/aarch64-linux-gnu/libc.so.6" "$root/lib/aarch64-linux-gnu/"
	else
		cp /usr/bin/timeout "$root/usr/bin/timeout"
		for lib in $(ldd /usr/bin/timeout | grep -o '/[^ ]*'); do
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
	fi
}

# Make $1 (holding an unpacked source tree) one git commit with the fixed
# identity of the base and date $2, message $3, tagged "base": the same
# hash on every machine, no git identity needed. Debian's top-level
# .gitignore ends with "/*": everything is added by force.
base_commit() {
	(
		cd "$1"
		export GIT_AUTHOR_NAME="$BASE_IDENT_NAME" GIT_AUTHOR_EMAIL="$BASE_IDENT_EMAIL" \
			GIT_COMMITTER_NAME="$BASE_IDENT_NAME" GIT_COMMITTER_EMAIL="$BASE_IDENT_EMAIL" \
			GIT_AUTHOR_DATE="$2" GIT_COMMITTER_DATE="$2"
		git init -q -b series
		git add -f -A .
		git commit -q -m "$3"
		git tag base
	)
}

# With the caller's record(): whether $2 (HEAD's W=1 + sparse warnings,
# line numbers dropped) has a line $1 (the base's) has not, in the C files
# $3 names.
record_new_warnings() {
	local new
	new=$(comm -13 "$1" "$2")
	if [ -z "$new" ]; then
		record "no new W=1/sparse warning in $3" ok "$(wc -l <"$1") at base"
	else
		record "no new W=1/sparse warning in $3" fail \
			"$(printf '%s' "$new" | head -2 | tr '\n' ' ')"
	fi
}

pack_root() {
	(cd "$1" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc --reproducible -R 0:0 --quiet) | gzip -n -1 >"$2"
}

# build/linux-base: the base commit of build/linux alone, exported once per
# base (make bench's unpatched 6.1).
export_base() {
	local t=$BUILD/linux-base base
	base=$(git -C "$TREE" rev-parse base)
	[ "$(cat "$t/.workbench-version" 2>/dev/null)" != "$base" ] || return 0
	note "exporting the base commit into ${t#"$TOP"/}"
	rm -rf "$t"
	mkdir -p "$t"
	git -C "$TREE" archive base | tar -C "$t" -x
	echo "$base" >"$t/.workbench-version"
}
