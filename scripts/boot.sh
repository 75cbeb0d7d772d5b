#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot the test kernel of $WB_ARCH under QEMU (TCG) with an emulated IOMMU
# (x86_64: q35 with VT-d; arm64: virt with SMMUv3 and GICv3), two edu
# devices and a virtio-rng device (for its PM and FLR capabilities, which
# edu lacks), each behind its own PCIe root port, and a two-function edu
# device alone behind a fourth (a bus a hot reset resets two devices of).
#
# Logs go to build/logs/ for x86_64 and build/logs/arm64/ for arm64.
#
#   boot.sh test    console to build/logs/console.log, kselftest output to
#                   build/logs/kselftest.log, powers off by itself; a hard
#                   timeout ($BOOT_TIMEOUT seconds) stops a hung guest,
#                   whose CPUs QEMU's monitor describes first (guest-state.txt,
#                   a line per CPU in the console log); a guest found frozen
#                   (a CPU halted with a vector in service) is booted once
#                   more, its logs kept as *-frozen.*
#                   BOOT_VARIANT=noiommu boots without IOMMU, in vfio's
#                   no-IOMMU mode, runs config/selftests-noiommu, and
#                   logs to build/logs/noiommu-*.log
#                   BOOT_VARIANT=soak runs config/selftests-soak for
#                   $SOAK_SECONDS (60) a test, logs to soak-*.log
#   boot.sh demo    runs the fault ring demo, prints its table
#   boot.sh bench   runs bench/fault_bench_$BENCH_SIDE for $BENCH_SECONDS a
#                   figure, its output to $BENCH_LOG (make bench, which
#                   also names the kernel and initramfs: $WB_KERNEL,
#                   $WB_INITRD)
#   boot.sh shell   interactive: serial console on this terminal
#                   (Ctrl-a x quits QEMU)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mode=${1:-test}
logs=$LOGS
kernel=${WB_KERNEL:-$KOBJ/$KIMAGE}
initrd=${WB_INITRD:-$INITRD}
[ -f "$kernel" ] || die "no $WB_ARCH kernel: run 'make kernel'"
[ -f "$initrd" ] || die "no $WB_ARCH initramfs: run 'make initramfs'"
mkdir -p "$logs"

noiommu=
prefix=
case "${BOOT_VARIANT:-}" in
"") ;;
noiommu)
	# vfio's no-IOMMU mode: the same machine, the IOMMU left off.
	noiommu=1
	prefix=noiommu-
	;;
soak)
	prefix=soak-
	;;
mainline|mainline-nofix|6.12|6.12-nofix|ring)
	# make test-mainline / test-6.12 / test-ring: Linux 7.2 or 6.12 with
	# patches-mainline/, patches-6.12/ or patches-mainline/ and
	# patches-ring/, or with the series but its fix ($WB_KERNEL,
	# $WB_INITRD), the iommu suite of config/<line>/selftests.
	prefix=${BOOT_VARIANT}-
	;;
*) die "unknown BOOT_VARIANT ${BOOT_VARIANT}" ;;
esac

# The devices under test, the same on both machines. The virtio-rng has
# AER (aer=on), for the AER tests. Its root port runs at 5 GT/s: QEMU's root
# ports leave Data Link Layer Link Active clear for a device present at boot,
# and Linux waits for it after a bus reset only on ports faster than that,
# so AER recovery's link reset would otherwise fail.
devices=(
	-device pcie-root-port,id=rp1,chassis=1,slot=1 -device edu,bus=rp1
	-device pcie-root-port,id=rp2,chassis=2,slot=2 -device edu,bus=rp2
	-device pcie-root-port,id=rp3,chassis=3,slot=3,x-speed=5
	-device virtio-rng-pci,bus=rp3,disable-legacy=on,aer=on
	-device pcie-root-port,id=rp4,chassis=4,slot=4
	-device edu,bus=rp4,addr=0.0,multifunction=on -device edu,bus=rp4,addr=0.1
)
case "$WB_ARCH" in
x86_64)
	append="console=ttyS0"
	if [ -n "$noiommu" ]; then
		append="$append intel_iommu=off"
	else
		append="$append intel_iommu=on"
	fi
	qemu=(qemu-system-x86_64
		-machine q35,kernel-irqchip=split -accel tcg -smp 2 -m 2G
		-nic none -vga none -display none -no-reboot)
	[ -n "$noiommu" ] ||
		qemu+=(-device intel-iommu,intremap=on,caching-mode=on)
	# Test output on the second serial port.
	out_dev=ttyS1
	out_to() { out=(-serial "$1${2:+:$2}"); }
	;;
arm64)
	# pauth-impdef: TCG's cheap pointer authentication, same semantics.
	append="console=ttyAMA0"
	machine=virt,gic-version=3
	[ -n "$noiommu" ] || machine=$machine,iommu=smmuv3
	qemu=(qemu-system-aarch64
		-machine "$machine" -cpu max,pauth-impdef=on -accel tcg
		-smp 2 -m 2G -nic none -display none -no-reboot
		-device virtio-serial-device)
	# virt has one UART: the test output goes to a virtio console.
	out_dev=hvc0
	out_to() {
		out=(-chardev "$1,id=wbout${2:+,path=$2}"
			-device virtconsole,chardev=wbout)
	}
	;;
esac
append="$append panic=-1 wb.mode=$mode wb.out=$out_dev"
[ -z "$noiommu" ] ||
	append="$append vfio.enable_unsafe_noiommu_mode=1 wb.list=noiommu"
[ "$prefix" != soak- ] ||
	append="$append wb.list=soak wb.soak=${SOAK_SECONDS:-60}"
case "$prefix" in
mainline-*|6.12-*|ring-*)
	# Upstream's iommu suite has no settings file: the runner's 45 s
	# default is too short for iommufd under TCG with the debug set.
	# Its huge page tests need 2 MiB pages reserved (128 MiB of dirty
	# tracking at most, twice).
	append="$append wb.list=mainline wb.ksftimeout=${KSFT_TIMEOUT:-1800}"
	append="$append wb.hugepages=${KSFT_HUGEPAGES:-160}" ;;
esac
[ "$mode" != bench ] ||
	append="$append wb.bench=${BENCH_SIDE:-vfio} wb.benchsecs=${BENCH_SECONDS:-1}"
[ "$mode" = shell ] || append="$append loglevel=7"
qemu+=("${devices[@]}"
	-kernel "$kernel" -initrd "$initrd" -append "$append ${BOOT_APPEND:-}")

# Run the guest to its end: its test output to $1, its console to $2, at
# most $3 seconds. Returns QEMU's status (124: timed out).
guest() {
	out_to file "$1"
	timeout --foreground -k 10 "$3" "${qemu[@]}" -serial "file:$2" \
		"${out[@]}" </dev/null
}

# One test boot: console and kselftest output to the logs. Five seconds
# before the timeout, QEMU's monitor is asked where the guest's CPUs are (and
# on x86 what their local APICs hold): a guest whose CPUs all sleep with a
# vector stuck in service gets no timer tick and prints nothing more, not
# even a hung task report. Returns QEMU's status (124: timed out).
test_boot() {
	local tmo=${BOOT_TIMEOUT:-900} mon watcher rc=0

	rm -f "$logs/${prefix}console.log" "$logs/${prefix}kselftest.log" \
		"$logs/${prefix}guest-state.txt"
	out_to file "$logs/${prefix}kselftest.log"
	mon=$(mktemp -u /tmp/wb-qemu-mon.XXXXXX)
	(
		trap 'kill $s 2>/dev/null; exit 0' TERM
		sleep $((tmo > 10 ? tmo - 5 : tmo / 2)) & s=$!
		wait $s
		python3 "$TOP/scripts/qemu-state.py" "$mon" \
			>"$logs/${prefix}guest-state.txt" 2>&1
	) &
	watcher=$!
	timeout --foreground -k 10 "$tmo" "${qemu[@]}" \
		-serial "file:$logs/${prefix}console.log" "${out[@]}" \
		-monitor "unix:$mon,server,nowait" </dev/null || rc=$?
	kill $watcher 2>/dev/null || true
	wait $watcher 2>/dev/null || true
	rm -f "$mon"
	if [ $rc -eq 124 ]; then
		if [ -s "$logs/${prefix}guest-state.txt" ]; then
			python3 "$TOP/scripts/qemu-state.py" --summary \
				"$logs/${prefix}guest-state.txt" | sed 's/^/boot: /' \
				>>"$logs/${prefix}console.log" || true
		fi
		echo "boot: TIMEOUT after ${tmo}s" >>"$logs/${prefix}console.log"
	fi
	return $rc
}

rc=0
case "$mode" in
test)
	# A guest that froze the way README's "Open: a CI run that timed out"
	# describes (a CPU halted with a vector stuck in service: a lost EOI,
	# below anything the series does) is booted once more, saying so; the
	# frozen boot's logs are kept as *-frozen.*. Any other timeout or
	# failure stands.
	rm -f "$logs/${prefix}console-frozen.log" \
		"$logs/${prefix}kselftest-frozen.log" \
		"$logs/${prefix}guest-state-frozen.txt"
	test_boot || rc=$?
	if [ $rc -eq 124 ] &&
		python3 "$TOP/scripts/qemu-state.py" --frozen \
			"$logs/${prefix}guest-state.txt" >/dev/null; then
		for f in console.log kselftest.log guest-state.txt; do
			mv "$logs/${prefix}$f" "$logs/${prefix}${f%.*}-frozen.${f##*.}" ||
				true
		done
		echo "boot: the guest froze (a CPU halted with a vector in service, see" \
			"$logs/${prefix}guest-state-frozen.txt); booting once more" >&2
		rc=0
		test_boot || rc=$?
		if [ -f "$logs/${prefix}console.log" ]; then
			sed -i "1i boot: second boot: the first froze, see ${prefix}console-frozen.log" \
				"$logs/${prefix}console.log"
		fi
	fi
	exit $rc
	;;
demo)
	guest "$logs/demo.log" "$logs/demo-console.log" "${BOOT_TIMEOUT:-600}" || rc=$?
	cat "$logs/demo.log"
	grep -q "^workbench: demo end rc=0" "$logs/demo.log" || exit 1
	exit $rc
	;;
bench)
	guest "$BENCH_LOG" "${BENCH_LOG%.log}-console.log" "${BOOT_TIMEOUT:-900}" || rc=$?
	grep -q "^workbench: bench end rc=0" "$BENCH_LOG" ||
		die "bench boot failed (see $BENCH_LOG and ${BENCH_LOG%.log}-console.log)"
	exit $rc
	;;
shell)
	out_to null
	exec "${qemu[@]}" -serial mon:stdio "${out[@]}"
	;;
*)
	die "usage: boot.sh test|demo|bench|shell"
	;;
esac
