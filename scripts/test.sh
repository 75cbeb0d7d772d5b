#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make test: from a fresh machine to a verdict, printing stage timings.
# Both architectures: x86_64 (q35 + VT-d) first, with the series checks,
# then arm64 (virt + SMMUv3), with W=1 + sparse on its own build; last the
# mainline iommufd series (make test-mainline) and the fault ring RFC on top
# of it (make test-ring), whose verdicts count too.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

S=$TOP/scripts
timings=()
stage() {
	local name=$1 t0 rc
	shift
	t0=$(now)
	note "$name"
	"$@"
	rc=$?
	timings+=("$(printf '%-10s %4ds' "$name" $(($(now) - t0)))")
	return $rc
}
abort() {
	printf 'stage timings:\n'; printf '  %s\n' "${timings[@]}"
	echo "make test: $1"
	echo "0 passed, 1 failed"
	exit 1
}
ensure_tree() {
	if [ -d "$TREE/.git" ] && "$S/export.sh" --check 2>/dev/null; then
		return 0
	fi
	"$S/tree.sh"
}

mkdir -p "$BUILD/logs"
rm -f "$BUILD/logs/checks.tsv"
t_all=$(now)
x86() { env WB_ARCH=x86_64 "$@"; }
arm() { env WB_ARCH=arm64 "$@"; }
stage deps "$S/deps.sh" || abort "installing packages failed"
stage tree ensure_tree || abort "build/linux could not be made from patches/"
stage kernel x86 "$S/kernel.sh" build || abort "the kernel does not build"
stage checks x86 "$S/check-series.sh" || abort "series checks could not run"
# The checks move the tree around; come back to HEAD (ccache makes it quick).
stage rebuild x86 "$S/kernel.sh" build || abort "the kernel does not build"
stage initramfs x86 "$S/initramfs.sh" || abort "the initramfs does not build"
stage boot x86 "$S/boot.sh" test
stage noiommu x86 env BOOT_VARIANT=noiommu "$S/boot.sh" test
stage soak x86 env BOOT_VARIANT=soak SOAK_SECONDS=8 "$S/boot.sh" test
# KUnit's own runner on the suite's .kunitconfig, as its documentation says.
stage kunit.py "$S/kunit.sh"
stage a64-kernel arm "$S/kernel.sh" build || abort "the arm64 kernel does not build"
stage a64-checks arm env CHECKS_APPEND=1 "$S/check-series.sh" warnings || abort "arm64 checks could not run"
stage a64-rebuild arm "$S/kernel.sh" build || abort "the arm64 kernel does not build"
stage a64-initrd arm "$S/initramfs.sh" || abort "the arm64 initramfs does not build"
stage a64-boot arm "$S/boot.sh" test
stage a64-noiommu arm env BOOT_VARIANT=noiommu "$S/boot.sh" test
stage a64-soak arm env BOOT_VARIANT=soak SOAK_SECONDS=8 "$S/boot.sh" test
# The iommufd fault cookie series for mainline (Linux 7.2): its own checks,
# debug kernel and kselftests with and without its fix; its verdict counts.
iommufd_line() {
	WB_ARCH=x86_64 "$S/test-iommufd.sh" "$1" 2>&1 |
		tee "$BUILD/logs/$1-verdict.txt"
}
stage mainline iommufd_line mainline
# The fault ring RFC on top of it: its checks, debug kernel, kselftests.
stage ring iommufd_line ring
printf 'stage timings:\n'; printf '  %s\n' "${timings[@]}"
printf '  %-10s %4ds\n' total $(($(now) - t_all))
WB_VERDICT_ARCHES="x86_64 arm64" WB_VERDICT_SOAK="x86_64 arm64" WB_VERDICT_KUNIT_RUN=1 \
	WB_VERDICT_SERIES="mainline ring" "$S/verdict.py"
