#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make test-mainline: patches-mainline/ (the fault cookie fix for mainline's
# iommufd, on Debian unstable's 7.2) checked, built, booted and tested:
#
#   1. build/linux-7.2 = pinned base + patches-mainline (tree-mainline.sh);
#   2. checkpatch --strict on every patch; every commit builds; no new W=1
#      or sparse warning in the C files the series touches;
#   3. the kernel with the debug set (KASAN, lockdep, DEBUG_LIST, kmemleak)
#      and CONFIG_IOMMUFD_TEST, configured from the machine's fragments,
#      the suite's tools/testing/selftests/iommu/config and what 7.2's
#      IOMMUFD_TEST needs beyond it (config/mainline/iommufd.config), with
#      the series and with the series but its fix;
#   4. the iommu suite installed as CI installs it and run by its
#      run_kselftest.sh in a QEMU boot of each kernel (config/mainline/
#      selftests); with the series every test must pass, none skip, and the
#      console must be clean; on the series without its fix (patch 1
#      reverted, the mock's response log kept) the series' new tests must
#      fail (config/mainline/new-tests), for the stale response's reason,
#      and nothing else.
# Ends with "N passed, N failed"; results in build/logs/mainline/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "$WB_ARCH" = x86_64 ] || die "make test-mainline runs on x86_64 only"
t=$BUILD/linux-7.2
kobj=$BUILD/kernel-7.2
logs=$BUILD/logs/mainline
mkdir -p "$logs"
: >"$logs/checks.tsv"
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$logs/checks.tsv"; }
kc=$TOP/config/kernel
frags="$kc/base.config $kc/debug.config $kc/x86_64/machine.config $TOP/config/mainline/iommufd.config"
# The suite's own config, as of HEAD, for every build (base included).
suite=$logs/iommu.config
k72() {
	# 7.2 turned some of 6.1's options into others (BOOTPARAM_HUNG_TASK_PANIC
	# is a count now): lenient, then the options that matter are checked.
	WB_TREE=$t WB_KOBJ=$kobj KCONFIG_LENIENT=1 WB_FRAGMENTS="$frags $suite" \
		"$TOP/scripts/kernel.sh" "$@"
}

"$TOP/scripts/deps.sh" mainline
"$TOP/scripts/tree-mainline.sh"
git -C "$t" show HEAD:tools/testing/selftests/iommu/config >"$suite"

for p in $(ls "$TOP"/patches-mainline/*.patch | grep -v -- '0000-cover-letter\.patch$'); do
	out=$(cd "$t" && PATH=/usr/bin:$PATH perl scripts/checkpatch.pl --strict \
		--no-summary "$p" 2>&1 || true)
	# Tolerated, nothing else: a Fixes: tag names a mainline commit the
	# Debian base, one commit without history, cannot know; and checkpatch
	# reads "FIXTURE_DATA(fixture) *self" (kselftest_harness.h's own form)
	# as a multiplication.
	bad=$(printf '%s\n' "$out" | awk '
		/^(ERROR|WARNING|CHECK):/ { if (msg != "") print msg; msg = $0; fix = 0; next }
		/FIXTURE_DATA\(/ { if (msg ~ /spaces preferred around that .\*./) msg = "" }
		END { if (msg != "") print msg }' |
		grep -v -e "^WARNING: Unknown commit id '[0-9a-f]*', maybe rebased or not pulled?" || true)
	if [ -z "$bad" ]; then
		record "checkpatch $(basename "$p")" ok ""
	else
		record "checkpatch $(basename "$p")" fail "$(printf '%s' "$bad" | head -2 | tr '\n' ' ')"
	fi
done

files=$(git -C "$t" diff --name-only base..series -- '*.c' | grep -v '^tools/' || true)
warnings() {
	local f
	for f in $files; do
		k72 make W=1 C=2 CHECK=sparse "${f%.c}.o" 2>&1 |
			grep -E 'warning:|error:' | sed -E 's/:[0-9]+(:[0-9]+)?:/:/' || true
	done | sort -u
}
k72 config 2>/dev/null
grep -qx CONFIG_IOMMUFD_TEST=y "$kobj/.config" || die "7.2 kernel without CONFIG_IOMMUFD_TEST"
grep -qx CONFIG_KASAN=y "$kobj/.config" || die "7.2 kernel without the debug set"
git -C "$t" checkout -q base
warnings >"$logs/warnings-base.txt"
for c in $(git -C "$t" rev-list --reverse base..series); do
	git -C "$t" checkout -q "$c"
	subj=$(git -C "$t" log -1 --format=%s "$c")
	if k72 build >"$logs/build.log" 2>&1; then
		record "builds: $subj" ok ""
	else
		record "builds: $subj" fail "see $logs/build.log"
	fi
done
# The kernel the new tests must fail on: the series without its fix, so
# that the mock's response log is there and a failure can only be the
# stale response's.
# That is the base plus every patch that leaves the fix's C files alone
# (the mock's response log), without the fix and what documents it.
fix=$(git -C "$t" rev-list --reverse base..series | head -n 1)
code=$(git -C "$t" diff --name-only base "$fix" -- '*.c' '*.h' ':!include/uapi')
git -C "$t" checkout -q -B nofix base
for c in $(git -C "$t" rev-list --reverse base..series); do
	# shellcheck disable=SC2086
	[ -z "$(git -C "$t" diff --name-only "$c~" "$c" -- $code)" ] || continue
	git -C "$t" -c user.name="$TREE_IDENT_NAME" -c user.email="$TREE_IDENT_EMAIL" \
		cherry-pick "$c" >/dev/null 2>&1 || die "$(git -C "$t" log -1 --format=%s "$c") does not apply without the fix"
done
k72 build >"$logs/build.log" 2>&1 || die "7.2 without the fix does not build (see $logs/build.log)"
cp "$kobj/$KIMAGE" "$logs/bzImage-nofix"
git -C "$t" checkout -q series
k72 build >"$logs/build.log" 2>&1 || die "7.2 + series does not build (see $logs/build.log)"
warnings >"$logs/warnings-head.txt"
# shellcheck disable=SC2086
record_new_warnings "$logs/warnings-base.txt" "$logs/warnings-head.txt" "$(echo $files)"

# The suite as CI installs it (from HEAD: the new tests are in it), with
# the 6.1 machine's init, which runs run_kselftest.sh on the list.
root=$BUILD/initramfs-mainline
bench_root "$root"
rm -rf "$root/bench"
mkdir -p "$root/workbench"
grep -v -e '^#' -e '^$' "$TOP/config/mainline/selftests" >"$root/workbench/list-mainline"
make -s -C "$t/tools/testing/selftests" O="$BUILD/selftests-mainline" TARGETS=iommu \
	KHDR_INCLUDES="-isystem $kobj/usr/include" LDFLAGS=-static \
	KSFT_INSTALL_PATH="$root/kselftest" install >/dev/null
install_timeout "$root"
pack_root "$root" "$root.cpio.gz"

# The mock device needs no VT-d: boot without it.
for k in mainline mainline-nofix; do
	case $k in
	mainline) image=$kobj/$KIMAGE ;;
	mainline-nofix) image=$logs/bzImage-nofix ;;
	esac
	BOOT_VARIANT=$k BOOT_APPEND=intel_iommu=off WB_KERNEL=$image \
		WB_INITRD=$root.cpio.gz BOOT_TIMEOUT=${BOOT_TIMEOUT:-3000} \
		"$TOP/scripts/boot.sh" test >/dev/null 2>&1 || true
done

python3 "$TOP/scripts/verdict-mainline.py"
