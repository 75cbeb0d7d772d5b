#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The IOMMU core's KUnit suite the way its documentation runs it: the
# tree's kunit.py on drivers/iommu/.kunitconfig, under QEMU (x86_64: the
# suite needs an IOMMU driver for IOMMU_API, so not UML). Build in
# build/kunit (ccache), output to build/logs/kunit-run.log and its results
# to build/logs/kunit-run.json, which the verdict reads.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mkdir -p "$BUILD/logs"
log=$BUILD/logs/kunit-run.log
json=$BUILD/logs/kunit-run.json
rm -f "$log" "$json"
cd "$TREE"
rc=0
python3 tools/testing/kunit/kunit.py run --kunitconfig=drivers/iommu \
	--arch=x86_64 --build_dir="$BUILD/kunit" --jobs="$JOBS" \
	--make_options "CC=ccache gcc" --make_options "HOSTCC=ccache gcc" \
	--json="$json" >"$log" 2>&1 || rc=$?
tail -n 3 "$log"
exit $rc
