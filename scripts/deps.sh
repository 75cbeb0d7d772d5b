#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install what the workbench needs from Debian's archive. Idempotent: does
# nothing when every package is already at the wanted version.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkgs=(
	"$DEB_PKG=$DEB_VERSION"
	bc bison flex libelf-dev libssl-dev cpio dwarves kmod rsync xz-utils
	gcc make perl python3 python3-ply python3-git git
	qemu-system-x86 busybox-static ccache sparse
	qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross
)
# make bench and make test-6.12: Debian's 6.12 source and gnuplot, only when
# asked for.
[ "${1:-}" != bench ] || pkgs+=("$BENCH_DEB_PKG=$BENCH_DEB_VERSION" gnuplot-nox)
# make test-mainline: upstream's iommufd selftest links against libcap.
[ "${1:-}" != mainline ] || pkgs+=(libcap-dev)
# busybox-static:arm64 is downloaded, not installed, by initramfs.sh: the
# arm64 package lists must be there.
foreign=
dpkg --print-foreign-architectures | grep -qx arm64 || foreign=arm64

missing=()
for p in "${pkgs[@]}"; do
	name=${p%%=*}
	want=${p#*=}
	have=$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null || true)
	case "$have" in
	"install ok installed "*)
		[ "$name" = "$p" ] || [ "${have##* }" = "$want" ] || missing+=("$p")
		;;
	*) missing+=("$p") ;;
	esac
done

[ ${#missing[@]} -eq 0 ] && [ -z "$foreign" ] && exit 0

export DEBIAN_FRONTEND=noninteractive
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
if [ -n "$foreign" ]; then
	note "adding the arm64 architecture to dpkg"
	$SUDO dpkg --add-architecture arm64
	$SUDO apt-get update -qq
fi
[ ${#missing[@]} -eq 0 ] && exit 0
note "installing: ${missing[*]}"
if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
