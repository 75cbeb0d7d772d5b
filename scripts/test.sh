#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make test: from a fresh machine to a verdict, printing stage timings.
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
stage deps "$S/deps.sh" || abort "installing packages failed"
stage tree ensure_tree || abort "build/linux could not be made from patches/"
stage kernel "$S/kernel.sh" build || abort "the kernel does not build"
stage checks "$S/check-series.sh" || abort "series checks could not run"
# The checks move the tree around; come back to HEAD (ccache makes it quick).
stage rebuild "$S/kernel.sh" build || abort "the kernel does not build"
stage initramfs "$S/initramfs.sh" || abort "the initramfs does not build"
stage boot "$S/boot.sh" test
stage noiommu env BOOT_VARIANT=noiommu "$S/boot.sh" test
printf 'stage timings:\n'; printf '  %s\n' "${timings[@]}"
printf '  %-10s %4ds\n' total $(($(now) - t_all))
"$S/verdict.py"
