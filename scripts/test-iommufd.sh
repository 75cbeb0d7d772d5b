#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test-iommufd.sh mainline|6.12|ring: an iommufd series of one tree checked,
# built, booted and tested (make test-mainline, make test-6.12,
# make test-ring):
#
#   mainline  patches-mainline/ on Debian unstable's 7.2 (build/linux-7.2)
#   6.12      patches-6.12/, its backport, on Debian's 6.12
#             (build/linux-6.12-series)
#   ring      patches-ring/, the fault ring RFC, on 7.2 + patches-mainline/
#             (build/linux-7.2-ring); the checks cover its own patches, and
#             there is no "without its fix" kernel (step 3 and 4: the
#             series only)
#
#   1. the tree = pinned base + the series (tree-mainline.sh, tree-6.12.sh);
#   2. checkpatch --strict on every patch; every commit builds; no new W=1
#      or sparse warning in the C files the series touches;
#   3. the kernel with the debug set (KASAN, lockdep, DEBUG_LIST, kmemleak)
#      and CONFIG_IOMMUFD_TEST, configured from the machine's fragments,
#      the suite's tools/testing/selftests/iommu/config and what the tree's
#      IOMMUFD_TEST needs beyond it (config/<line>/iommufd.config), with
#      the series and with the series but its fix;
#   4. the iommu suite installed as CI installs it (on 6.12 from a copy
#      fitted to the kernel's uapi first, config/6.12/suite-compat.sh) and
#      run by its run_kselftest.sh in a QEMU boot of each kernel
#      (config/<line>/selftests); with the series every test must pass or
#      be listed in config/<line>/known-failures with its reason, none
#      skip, and the console must be clean; on the series without its fix
#      (patch 1 left out, the mock's response log kept) the series' new
#      tests must fail (config/<line>/new-tests), for the stale response's
#      reason, and nothing else.
# Ends with "N passed, N failed"; results in build/logs/<line>/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

line=${1:-mainline}
[ "$WB_ARCH" = x86_64 ] || die "make test-$line runs on x86_64 only"
# from: the commit the series' checks start at; nofix: boot the series
# without its fix too.
from=base nofix=1 treearg=
case $line in
mainline)
	t=$BUILD/linux-7.2 kobj=$BUILD/kernel-7.2 patches=$TOP/patches-mainline
	treesh=tree-mainline.sh ;;
6.12)
	t=$BUILD/linux-6.12-series kobj=$BUILD/kernel-6.12-series
	patches=$TOP/patches-6.12 treesh=tree-6.12.sh ;;
ring)
	t=$BUILD/linux-7.2-ring kobj=$BUILD/kernel-7.2-ring patches=$TOP/patches-ring
	treesh=tree-mainline.sh treearg=ring from=prereq nofix= ;;
*) die "test-iommufd.sh: no series for $line (mainline, 6.12 or ring)" ;;
esac
cfg=$TOP/config/$line
logs=$BUILD/logs/$line
mkdir -p "$logs"
: >"$logs/checks.tsv"
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$logs/checks.tsv"; }
kc=$TOP/config/kernel
frags="$kc/base.config $kc/debug.config $kc/x86_64/machine.config $cfg/iommufd.config"
# The suite's own config, as of HEAD, for every build (base included).
suite=$logs/iommu.config
kern() {
	# 7.2 turned some of 6.1's options into others (BOOTPARAM_HUNG_TASK_PANIC
	# is a count now), 6.12 lacks some: lenient, then the options that
	# matter are checked.
	WB_TREE=$t WB_KOBJ=$kobj KCONFIG_LENIENT=1 WB_FRAGMENTS="$frags $suite" \
		"$TOP/scripts/kernel.sh" "$@"
}

"$TOP/scripts/deps.sh" mainline
"$TOP/scripts/$treesh" $treearg
git -C "$t" show HEAD:tools/testing/selftests/iommu/config >"$suite"

for p in $(ls "$patches"/*.patch | grep -v -- '0000-cover-letter\.patch$'); do
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

files=$(git -C "$t" diff --name-only "$from"..series -- '*.c' | grep -v '^tools/' || true)
warnings() {
	local f
	for f in $files; do
		kern make W=1 C=2 CHECK=sparse "${f%.c}.o" 2>&1 |
			grep -E 'warning:|error:' | sed -E 's/:[0-9]+(:[0-9]+)?:/:/' || true
	done | sort -u
}
kern config 2>/dev/null
grep -qx CONFIG_IOMMUFD_TEST=y "$kobj/.config" || die "$line kernel without CONFIG_IOMMUFD_TEST"
grep -qx CONFIG_KASAN=y "$kobj/.config" || die "$line kernel without the debug set"
git -C "$t" checkout -q "$from"
warnings >"$logs/warnings-base.txt"
for c in $(git -C "$t" rev-list --reverse "$from"..series); do
	git -C "$t" checkout -q "$c"
	subj=$(git -C "$t" log -1 --format=%s "$c")
	if kern build >"$logs/build.log" 2>&1; then
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
if [ -n "$nofix" ]; then
	fix=$(git -C "$t" rev-list --reverse base..series | sed -n 1p)
	code=$(git -C "$t" diff --name-only base "$fix" -- '*.c' '*.h' ':!include/uapi')
	git -C "$t" checkout -q -B nofix base
	for c in $(git -C "$t" rev-list --reverse base..series); do
		# shellcheck disable=SC2086
		[ -z "$(git -C "$t" diff --name-only "$c~" "$c" -- $code)" ] || continue
		git -C "$t" -c user.name="$TREE_IDENT_NAME" -c user.email="$TREE_IDENT_EMAIL" \
			cherry-pick "$c" >/dev/null 2>&1 || die "$(git -C "$t" log -1 --format=%s "$c") does not apply without the fix"
	done
	kern build >"$logs/build.log" 2>&1 || die "$line without the fix does not build (see $logs/build.log)"
	cp "$kobj/$KIMAGE" "$logs/bzImage-nofix"
fi
git -C "$t" checkout -q series
kern build >"$logs/build.log" 2>&1 || die "$line + series does not build (see $logs/build.log)"
warnings >"$logs/warnings-head.txt"
# shellcheck disable=SC2086
record_new_warnings "$logs/warnings-base.txt" "$logs/warnings-head.txt" "$(echo $files)"

# The suite as CI installs it (from HEAD: the new tests are in it), with
# the 6.1 machine's init, which runs run_kselftest.sh on the list.
root=$BUILD/initramfs-$line
bench_root "$root"
rm -rf "$root/bench"
mkdir -p "$root/workbench"
grep -v -e '^#' -e '^$' "$cfg/selftests" >"$root/workbench/list-mainline"
# A suite that does not build against its own kernel is fitted to it in the
# tree for the install, and put back right after.
compat=$cfg/suite-compat.sh
[ ! -f "$compat" ] || (cd "$t" && bash "$compat")
rc=0
make -s -C "$t/tools/testing/selftests" O="$BUILD/selftests-$line" TARGETS=iommu \
	KHDR_INCLUDES="-isystem $kobj/usr/include" LDFLAGS=-static \
	KSFT_INSTALL_PATH="$root/kselftest" install >"$logs/suite-build.log" 2>&1 || rc=$?
[ ! -f "$compat" ] || git -C "$t" checkout -q -- tools/testing/selftests
[ "$rc" = 0 ] || die "the iommu suite does not build (see $logs/suite-build.log)"
install_timeout "$root"
pack_root "$root" "$root.cpio.gz"

# The mock device needs no VT-d: boot without it.
for k in "$line" ${nofix:+"$line-nofix"}; do
	case $k in
	*-nofix) image=$logs/bzImage-nofix ;;
	*) image=$kobj/$KIMAGE ;;
	esac
	BOOT_VARIANT=$k BOOT_APPEND=intel_iommu=off WB_KERNEL=$image \
		WB_INITRD=$root.cpio.gz BOOT_TIMEOUT=${BOOT_TIMEOUT:-3000} \
		"$TOP/scripts/boot.sh" test >/dev/null 2>&1 || true
done

python3 "$TOP/scripts/verdict-iommufd.py" "$line"
