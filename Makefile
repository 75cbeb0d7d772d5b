# SPDX-License-Identifier: GPL-2.0
# Workbench for the "IOMMU page requests to userspace" kernel series.
# patches/ is the product; everything here builds, boots and tests it.
# 'make help' lists the targets.

SHELL := /bin/bash
S := scripts


.PHONY: demo ensure-tree help deps tree export export-check kernel initramfs boot shell \
	verdict check checkpatch run test kunit soak bench bench-profile test-6.12 test-mainline test-ring clean distclean

help:
	@echo 'make test          everything, from a fresh machine: deps, tree, kernel,'
	@echo '                   series checks, boot under QEMU, KUnit + kselftests;'
	@echo '                   ends with "N passed, N failed"'
	@echo 'make demo          boot and replay the 2019 timelines through the fault ring'
	@echo 'make shell         boot the same kernel into a busybox shell, edu on vfio-pci'
	@echo ''
	@echo 'make test covers x86_64 (q35 + VT-d) and arm64 (virt + SMMUv3); every other'
	@echo 'target works on x86_64, or on arm64 with ARCH=arm64 (e.g. ARCH=arm64 make shell)'
	@echo ''
	@echo 'make deps          install the Debian packages (idempotent)'
	@echo 'make tree          build/linux = base (Debian 6.1) + patches/'
	@echo 'make export        patches/ = base..HEAD of build/linux'
	@echo 'make export-check  fail if build/linux holds work patches/ does not'
	@echo 'make kernel        configure (config/kernel/*.config) and build build/kernel'
	@echo 'make initramfs     busybox + kselftests of config/selftests'
	@echo 'make run           kernel + initramfs + one test boot + verdict (no series checks)'
	@echo 'make check         series checks: checkpatch, every commit builds, W=1/sparse,'
	@echo '                   make tree without a git identity'
	@echo 'make soak          the reliability tests at full length (SOAK_SECONDS=60 each):'
	@echo '                   failing allocations, a random client, churn (make test'
	@echo '                   runs them for 8 s each)'
	@echo 'make bench         page request round trip: this series (6.1, no debug set)'
	@echo '                   against iommufd'"'"'s fault queue (7.2, mock device),'
	@echo '                   alternating boots, and on that 7.2 read()/write()'
	@echo '                   against the ring RFC; tables + build/bench/bench.png; and'
	@echo '                   opening, resetting, closing a device against the base'
	@echo 'make test-6.12     the backport of the mainline series to 6.12 (patches-6.12/,'
	@echo '                   Debian 6.12): the same checks as make test-mainline'
	@echo 'make test-mainline the mainline series (patches-mainline/: iommufd fault'
	@echo '                   cookies on Debian unstable'"'"'s 7.2): tree, checkpatch, debug'
	@echo '                   kernel, the iommu kselftests with and without it'
	@echo 'make test-ring     the fault ring RFC (patches-ring/: iommufd'"'"'s fault queue'
	@echo '                   as a mapped ring, on 7.2 + patches-mainline/): the same'
	@echo '                   checks, the iommu kselftests with it'
	@echo 'make bench-profile where an injected request'"'"'s time goes (function profiler)'
	@echo 'make kunit         the iommu_fault suite alone, with the tree'"'"'s kunit.py run'
	@echo '                   and drivers/iommu/.kunitconfig (x86_64 under QEMU)'
	@echo 'make clean         drop build products (keeps build/linux)'

deps:
	@$(S)/deps.sh

tree: deps
	@$(S)/tree.sh

export:
	@$(S)/export.sh

export-check:
	@$(S)/export.sh --check

# The tree is (re)made only when it does not already hold patches/.
build/linux/.git/workbench-head:
	@$(S)/deps.sh
	@$(S)/tree.sh

ensure-tree: build/linux/.git/workbench-head
	@$(S)/export.sh --check 2>/dev/null || $(S)/tree.sh

kernel: deps ensure-tree
	@$(S)/kernel.sh build

initramfs: deps
	@$(S)/initramfs.sh

boot:
	@$(S)/boot.sh test

verdict:
	@$(S)/verdict.py

shell: kernel initramfs
	@$(S)/boot.sh shell

demo: kernel initramfs
	@$(S)/boot.sh demo

check: deps ensure-tree
	@$(S)/check-series.sh

checkpatch: deps ensure-tree
	@$(S)/check-series.sh checkpatch

run: kernel initramfs
	@rm -f build/logs/checks.tsv
	@$(S)/boot.sh test || true
	@BOOT_VARIANT=noiommu $(S)/boot.sh test || true
	@$(S)/verdict.py

test:
	@$(S)/test.sh

# Numbers, not pass/fail: this series against iommufd's fault queue (7.2),
# and there read()/write() against the ring RFC.
bench: deps ensure-tree
	@$(S)/bench.sh

# The iommufd fault cookie series: for mainline (patches-mainline/, Debian
# unstable's 7.2) and its backport to 6.12 (patches-6.12/).
test-mainline: deps
	@$(S)/test-iommufd.sh mainline

test-6.12: deps
	@$(S)/test-iommufd.sh 6.12

# The fault ring RFC for mainline's iommufd (patches-ring/, on 7.2 with
# patches-mainline/).
test-ring: deps
	@$(S)/test-iommufd.sh ring

# Where an injected request's time goes in the series kernel (function
# profiler).
bench-profile: deps ensure-tree
	@$(S)/bench.sh profile

soak: kernel initramfs
	@BOOT_VARIANT=soak BOOT_TIMEOUT=$${BOOT_TIMEOUT:-3600} $(S)/boot.sh test || true
	@$(S)/verdict.py --soak

# KUnit's own runner on the suite's .kunitconfig; it needs an IOMMU driver
# for IOMMU_API, hence x86_64 (VT-d) rather than UML.
kunit: deps ensure-tree
	@$(S)/kunit.sh

clean:
	rm -rf build/kernel build/initramfs build/initramfs.cpio.gz build/selftests \
		build/kernel-arm64 build/initramfs-arm64 build/initramfs-arm64.cpio.gz \
		build/selftests-arm64 build/busybox-arm64 build/logs \
		build/kernel-bench build/kernel-6.12 build/kernel-prof build/bench \
		build/kernel-base \
		build/kernel-6.12-series build/initramfs-6.12 build/initramfs-6.12.cpio.gz

distclean:
	@$(S)/export.sh --safe-to-replace || { echo 'build/linux holds unexported work'; exit 1; }
	rm -rf build
