#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot the test kernel under QEMU (TCG) with an emulated VT-d, two edu
# devices and a virtio-rng device (for its PM and FLR capabilities, which
# edu lacks), each behind its own PCIe root port.
#
#   boot.sh test    console to build/logs/console.log, kselftest output to
#                   build/logs/kselftest.log, powers off by itself; a hard
#                   timeout ($BOOT_TIMEOUT seconds) stops a hung guest
#                   BOOT_VARIANT=noiommu boots without IOMMU, in vfio's
#                   no-IOMMU mode, runs config/selftests-noiommu, and
#                   logs to build/logs/noiommu-*.log
#   boot.sh demo    runs the fault ring demo, prints its table
#   boot.sh shell   interactive: serial console on this terminal
#                   (Ctrl-a x quits QEMU)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mode=${1:-test}
logs=$BUILD/logs
kernel=$KOBJ/arch/x86/boot/bzImage
initrd=$BUILD/initramfs.cpio.gz
[ -f "$kernel" ] || die "no kernel: run 'make kernel'"
[ -f "$initrd" ] || die "no initramfs: run 'make initramfs'"
mkdir -p "$logs"

append="console=ttyS0 panic=-1 wb.mode=$mode"
prefix=
case "${BOOT_VARIANT:-}" in
"") append="$append intel_iommu=on" ;;
noiommu)
	# vfio's no-IOMMU mode: the same machine, the IOMMU left off.
	append="$append intel_iommu=off vfio.enable_unsafe_noiommu_mode=1 wb.list=noiommu"
	prefix=noiommu-
	;;
*) die "unknown BOOT_VARIANT ${BOOT_VARIANT}" ;;
esac
[ "$mode" = shell ] || append="$append loglevel=7"
qemu=(qemu-system-x86_64
	-machine q35,kernel-irqchip=split -accel tcg -smp 2 -m 2G
	-nic none -vga none -display none -no-reboot
	-device intel-iommu,intremap=on,caching-mode=on
	-device pcie-root-port,id=rp1,chassis=1,slot=1 -device edu,bus=rp1
	-device pcie-root-port,id=rp2,chassis=2,slot=2 -device edu,bus=rp2
	-device pcie-root-port,id=rp3,chassis=3,slot=3
	-device virtio-rng-pci,bus=rp3,disable-legacy=on
	-kernel "$kernel" -initrd "$initrd" -append "$append ${BOOT_APPEND:-}")

case "$mode" in
test)
	rm -f "$logs/${prefix}console.log" "$logs/${prefix}kselftest.log"
	rc=0
	timeout --foreground -k 10 "${BOOT_TIMEOUT:-900}" "${qemu[@]}" \
		-serial "file:$logs/${prefix}console.log" \
		-serial "file:$logs/${prefix}kselftest.log" </dev/null || rc=$?
	[ $rc -ne 124 ] || echo "boot: TIMEOUT after ${BOOT_TIMEOUT:-900}s" >>"$logs/${prefix}console.log"
	exit $rc
	;;
demo)
	rc=0
	timeout --foreground -k 10 "${BOOT_TIMEOUT:-600}" "${qemu[@]}" \
		-serial "file:$logs/demo-console.log" \
		-serial "file:$logs/demo.log" </dev/null || rc=$?
	cat "$logs/demo.log"
	grep -q "^workbench: demo end rc=0" "$logs/demo.log" || exit 1
	exit $rc
	;;
shell)
	exec "${qemu[@]}" -serial mon:stdio -serial null
	;;
*)
	die "usage: boot.sh test|demo|shell"
	;;
esac
