#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Configure and build the test kernel out of tree in build/kernel.
#
# The configuration is what "make kselftest-merge" and "kunit.py" would
# make of it: allnoconfig (scripts/kconfig/merge_config.sh -n does the
# same) plus
#   - the machine's fragments, config/kernel/*.config and
#     config/kernel/$WB_ARCH/*.config: what the QEMU machine needs to boot
#     (console, PCIe ports, the IOMMU model) and the debug set;
#   - the tree's own test fragments: the kselftest suites' config files of
#     config/selftests* (tools/testing/selftests/vfio/config) and the
#     KUnit suite's drivers/iommu/.kunitconfig. Every option a test needs
#     comes from these, as in kernel CI.
# ($WB_FRAGMENTS replaces the whole list; files named in $EXTRA_CONFIG are
# added.) Every option a fragment asks for is checked after Kconfig has
# resolved dependencies: one that Kconfig dropped fails the build with its
# name (only reported with KCONFIG_LENIENT=1, which the per-commit builds
# of the series use). The tree's fragments serve both architectures: their
# options of the other architecture's IOMMU, listed in
# config/kernel/$WB_ARCH/not-applicable, may be absent.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# build/linux is a git tree; make bench's 6.12 ($WB_TREE) is an unpacked one.
[ -d "$TREE/.git" ] || { [ -n "${WB_TREE:-}" ] && [ -f "$TREE/Makefile" ]; } ||
	die "no build/linux: run 'make tree' first"
mkdir -p "$KOBJ"

frags=("$TOP"/config/kernel/*.config "$TOP/config/kernel/$WB_ARCH"/*.config)
# The tree's test fragments, as of $WB_FRAG_REF when set (the series
# checks build the base and every commit with HEAD's test options).
treefrags=(drivers/iommu/.kunitconfig)
for c in $(cat "$TOP"/config/selftests* | grep -v -e '^#' -e '^$' | cut -d: -f1 | sort -u); do
	treefrags+=("tools/testing/selftests/$c/config")
done
tree_fragments() {
	local f
	for f in "${treefrags[@]}"; do
		if [ -n "${WB_FRAG_REF:-}" ]; then
			git -C "$TREE" show "$WB_FRAG_REF:$f"
		elif [ -f "$TREE/$f" ]; then
			cat "$TREE/$f"
		elif [ -z "${KCONFIG_LENIENT:-}" ]; then
			die "the tree has no $f"
		fi
	done
}
# $WB_FRAGMENTS replaces that list (make bench: no debug set, or 6.12).
# shellcheck disable=SC2206
[ -z "${WB_FRAGMENTS:-}" ] || frags=($WB_FRAGMENTS)
# shellcheck disable=SC2206
[ -z "${EXTRA_CONFIG:-}" ] || frags+=($EXTRA_CONFIG)

kmake() {
	make -s -C "$TREE" O="$KOBJ" ARCH="$KARCH" CROSS_COMPILE="$CROSS" \
		-j"$JOBS" CC="ccache ${CROSS}gcc" HOSTCC="ccache gcc" \
		KBUILD_BUILD_USER=workbench KBUILD_BUILD_HOST=qemu \
		KBUILD_BUILD_TIMESTAMP="$BASE_DATE" "$@"
}

configure() {
	local all=$KOBJ/.fragments
	{ cat "${frags[@]}"; [ -n "${WB_FRAGMENTS:-}" ] || tree_fragments; } >"$all.new"
	# Fragments may ask for the same option (a suite's config and the
	# machine's both want PCI): Kconfig's notes about that are noise.
	kmake KCONFIG_CONFIG=.config.wanted KCONFIG_ALLCONFIG="$all.new" allnoconfig \
		2>&1 >/dev/null | { grep -v 'warning: override: reassigning to symbol' >&2 || true; }
	mv "$all.new" "$all"

	# Check what Kconfig made of each request.
	local bad=0 line sym val na=$TOP/config/kernel/$WB_ARCH/not-applicable
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			sym=${line%%=*}
			if ! grep -qxF -- "$line" "$KOBJ/.config.wanted"; then
				val=$(grep -E "^(# )?$sym[= ]" "$KOBJ/.config.wanted" || echo "$sym absent")
				if [ "$val" = "$sym absent" ] &&
					grep -qx "$sym" "$na" 2>/dev/null; then
					continue
				fi
				printf 'kernel config: %s requested, Kconfig gave "%s"\n' "$line" "$val" >&2
				bad=1
			fi
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			if grep -qE "^$sym=" "$KOBJ/.config.wanted"; then
				printf 'kernel config: %s must be off, Kconfig set it\n' "$sym" >&2
				bad=1
			fi
			;;
		esac
	done <"$all"
	if [ $bad -ne 0 ]; then
		# Older commits of the series may lack a symbol HEAD adds.
		[ -n "${KCONFIG_LENIENT:-}" ] || die "Kconfig dropped requested options (see above)"
		note "KCONFIG_LENIENT: building without them"
	fi

	# Only touch .config when it really changes, so that builds stay
	# incremental.
	if ! cmp -s "$KOBJ/.config.wanted" "$KOBJ/.config"; then
		cp "$KOBJ/.config.wanted" "$KOBJ/.config"
		kmake olddefconfig >/dev/null
	fi
}

case "${1:-build}" in
config)
	configure
	;;
build)
	configure
	if [ -d "$TREE/.git" ]; then
		what=$(git -C "$TREE" log -1 --format='%h %s')
	else
		what="${TREE#"$TOP"/} $(cat "$TREE/.workbench-version" 2>/dev/null)"
	fi
	note "building $KTARGET in ${KOBJ#"$TOP"/} ($what)"
	kmake "$KTARGET"
	kmake headers >/dev/null
	;;
headers)
	kmake headers >/dev/null
	;;
make)
	shift
	kmake "$@"
	;;
*)
	die "usage: kernel.sh [config|build|headers|make ARGS...]"
	;;
esac
