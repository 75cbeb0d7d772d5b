#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: the page request round trip of this series against iommufd's
# fault queue (Linux 7.2), in one run, on the same QEMU/TCG machine; and, on
# that 7.2 kernel, iommufd's read()/write() against the fault ring RFC.
#
# Builds two kernels without the debug set: this series on 6.1
# (build/kernel-bench) and Debian unstable's 7.2 with patches-mainline/,
# patches-ring/ and CONFIG_IOMMUFD_TEST (build/linux-7.2-ring, made by
# tree-mainline.sh ring; build/kernel-7.2-bench, incremental).
# bench/fault_bench.c is built twice, once per kernel's uapi, and both go
# into one initramfs. Then boots the two kernels alternately,
# $BENCH_ROUNDS (5) times each, every figure measured for $BENCH_SECONDS
# (1) s. A 7.2 boot runs the client $BENCH_PAIRS (2) times on each of
# read()/write() and the ring, alternating (iommufd, ring, ring, iommufd,
# ...); its first read()/write() run is the iommufd side of the 6.1
# comparison. scripts/bench.py prints the tables (ours/iommufd ratios over
# the rounds, ring/read() ratios over the pairs, the ring's goals next to
# them) and draws build/bench/bench.png. Nothing here passes or fails on
# speed.
#
# It also times what a device that never arms the fault ring pays, opening,
# resetting and closing it (bench/open_bench.c), on this series and on the
# base it applies to (build/linux-base, build/kernel-base), with the same
# config, booted alternately too.
#
# bench.sh profile (make bench-profile) instead builds the series kernel
# with the function profiler (build/kernel-prof), runs batches of injected
# requests through the fault ring under it and prints where the time goes
# (build/bench/profile.txt).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "$WB_ARCH" = x86_64 ] || die "make bench runs on x86_64 only"
rounds=${BENCH_ROUNDS:-5}
secs=${BENCH_SECONDS:-1}
bdir=$BUILD/bench
t72=$BUILD/linux-7.2-ring
pairs=${BENCH_PAIRS:-2}
k61=$BUILD/kernel-bench
k72=$BUILD/kernel-7.2-bench
kbase=$BUILD/kernel-base
mkdir -p "$bdir"

mode=${1:-bench}
# Both sides time with the TSC. Under TCG, 6.1's check of the TSCs of
# the two vCPUs at boot fails ("Marking TSC unstable due to TSCs
# unsynchronized") where 6.12's and 7.2's pass: 6.1 then keeps the HPET, and every
# clock_gettime() of the client becomes a system call and an emulated MMIO
# read, a few microseconds on each timed request of one side only. The
# vCPUs share the host's clock, so the TSC is as good on both.
same_clock=tsc=reliable
kc=$TOP/config/kernel
bc=$TOP/config/bench
# The test options of the series' vfio suite (tools/testing/selftests/vfio/config)
# on every kernel, so that the kernels differ only in what is measured.
suite=$BUILD/linux/tools/testing/selftests/vfio/config
series_frags="$kc/base.config $suite $kc/x86_64/machine.config $bc/common.config"

"$TOP/scripts/deps.sh" bench

# One initramfs, every client; wb.bench= picks one.
initramfs() {
	local root=$bdir/root
	bench_root "$root"
	install -m 0755 "$TOP/bench/fault_bench_profile" "$root/bench/"
	gcc -static -O2 -Wall -DBENCH_VFIO -isystem "$k61/usr/include" \
		-I"$TREE/tools/testing/selftests/vfio" \
		-o "$root/bench/fault_bench_vfio" "$TOP/bench/fault_bench.c"
	gcc -static -O2 -Wall -isystem "$k61/usr/include" \
		-I"$TREE/tools/testing/selftests/vfio" \
		-o "$root/bench/open_bench" "$TOP/bench/open_bench.c"
	for side in base series; do
		printf '#!/bin/sh\nexec /bench/open_bench %s "$@"\n' "$side" \
			>"$root/bench/fault_bench_open_$side"
		chmod 0755 "$root/bench/fault_bench_open_$side"
	done
	if [ -d "$k72/usr/include" ]; then
		gcc -static -O2 -Wall -DBENCH_IOMMUFD -isystem "$k72/usr/include" \
			-I"$t72/drivers/iommu/iommufd" \
			-o "$root/bench/fault_bench_iommufd" "$TOP/bench/fault_bench.c"
		# One 7.2 boot: read()/write() and the ring in pairs, the order
		# alternating from one pair to the next.
		cat >"$root/bench/fault_bench_ab" <<-EOF
		#!/bin/sh
		for p in \$(seq 1 $pairs); do
			if [ \$((p % 2)) = 1 ]; then order="rw ring"; else order="ring rw"; fi
			for m in \$order; do
				/bench/fault_bench_iommufd "\$1" all \$m >/tmp/ab.out 2>&1
				rc=\$?
				sed "s/^/pair=\$p /" /tmp/ab.out
				[ \$rc = 0 ] || exit 1
			done
		done
		EOF
		chmod 0755 "$root/bench/fault_bench_ab"
	fi
	pack_root "$root" "$bdir/initramfs.cpio.gz"
}

if [ "$mode" = profile ]; then
	kprof=$BUILD/kernel-prof
	WB_KOBJ=$kprof WB_FRAGMENTS="$series_frags $bc/profile.config" \
		"$TOP/scripts/kernel.sh" build
	k61=$kprof
	initramfs
	BOOT_APPEND=$same_clock WB_KERNEL=$kprof/$KIMAGE WB_INITRD=$bdir/initramfs.cpio.gz \
		BENCH_SIDE=profile BENCH_SECONDS=${BENCH_SECONDS:-2} \
		BENCH_LOG=$bdir/profile.log "$TOP/scripts/boot.sh" bench
	grep -v '^workbench:' "$bdir/profile.log" >"$bdir/profile.txt"
	printf '%-32s %10s %14s %12s\n' function hits "total (us)" "avg (us)"
	awk '{ printf "%-32s %10s %14s %12s\n", $1, $2, $3, $5 }' "$bdir/profile.txt"
	exit 0
fi

"$TOP/scripts/tree-mainline.sh" ring
export_base

t0=$(now)
WB_KOBJ=$k61 WB_FRAGMENTS="$series_frags" "$TOP/scripts/kernel.sh" build
# The same fragments on 7.2; those of this series' symbols (the injector)
# and a few 6.1 ones that 7.2 dropped are reported and left out: lenient.
git -C "$t72" checkout -q series
WB_TREE=$t72 WB_KOBJ=$k72 KCONFIG_LENIENT=1 \
	WB_FRAGMENTS="$kc/base.config $suite $kc/x86_64/machine.config $bc/common.config $bc/iommufd-7.2.config" \
	"$TOP/scripts/kernel.sh" build
grep -qx CONFIG_IOMMUFD_TEST=y "$k72/.config" || die "7.2 kernel without CONFIG_IOMMUFD_TEST"
# The base with the series' fragments: the injector's options, which it
# lacks, are reported and left out.
WB_TREE=$BUILD/linux-base WB_KOBJ=$kbase KCONFIG_LENIENT=1 \
	WB_FRAGMENTS="$series_frags" "$TOP/scripts/kernel.sh" build
note "kernels ready in $(($(now) - t0)) s"

initramfs

rm -f "$bdir"/round*.log
for r in $(seq 1 "$rounds"); do
	for side in vfio iommufd open_base open_series; do
		# 7.2 (as 6.12) probes a device without firmware node with the
		# first IOMMU registered without one (iommu_fwspec_ops(NULL)):
		# with VT-d on, that is VT-d for the mock device too, and
		# IOMMU_TEST_OP_MOCK_DOMAIN fails. The mock needs no VT-d: off.
		bside=$side
		case $side in
		vfio|open_series) kobj=$k61 append= ;;
		iommufd) kobj=$k72 append=intel_iommu=off bside=ab ;;
		open_base) kobj=$kbase append= ;;
		esac
		append="$append $same_clock"
		note "round $r/$rounds: $side"
		BOOT_APPEND=$append WB_KERNEL=$kobj/$KIMAGE WB_INITRD=$bdir/initramfs.cpio.gz \
			BENCH_SIDE=$bside BENCH_SECONDS=$secs \
			BENCH_LOG=$bdir/round$r-$side.log "$TOP/scripts/boot.sh" bench
		if [ "$side" = iommufd ]; then
			# The A/B pairs; the first read()/write() run is the
			# iommufd side of the 6.1 comparison.
			mv "$bdir/round$r-iommufd.log" "$bdir/round$r-ab.log"
			sed -n 's/^pair=1 \(bench side=iommufd \)/\1/p' "$bdir/round$r-ab.log" \
				>"$bdir/round$r-iommufd.log"
		fi
	done
done
python3 "$TOP/scripts/bench.py" "$bdir"
