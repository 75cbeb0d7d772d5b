#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Review checks on the series in build/linux (base..HEAD), appended to
# build/logs/checks.tsv as "name<TAB>ok|fail<TAB>detail":
#
#   checkpatch  scripts/checkpatch.pl --strict on every exported patch:
#               no error, no warning, no CHECK but those listed in
#               config/checkpatch-tolerated
#   bisect      every commit of base..HEAD builds (bzImage, incremental,
#               newest first)
#               and so do the kselftests of config/selftests
#   warnings    no W=1 or sparse (C=2) warning in the C files the series
#               touches, or that call the fault API it changes, that the
#               same files did not have at base, in the
#               configuration of $WB_ARCH (make test runs it for both)
#   newcomer    'make tree' as a new user runs it: HOME an empty directory,
#               no system git config, nothing but PATH from the caller's
#               environment; it must make the same tree as build/linux
#
# The tree must hold exactly patches/ (export-check); it is put back on
# the series branch afterwards, whatever happens.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

logs=$BUILD/logs
tsv=$logs/checks.tsv
mkdir -p "$logs"
# $CHECKS_APPEND keeps what earlier checks recorded (make test runs the
# arm64 warnings check after the x86_64 ones).
[ -n "${CHECKS_APPEND:-}" ] || : >"$tsv"
what=${1:-all}

record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$tsv"; }
git_t() { git -C "$TREE" "$@"; }

"$TOP/scripts/export.sh" --check || die "build/linux and patches/ differ"
branch=$(git_t symbolic-ref -q --short HEAD || echo series)
# Every commit, and the base, is built with the test options of HEAD's
# fragments (tools/testing/selftests/*/config, .kunitconfig).
export WB_FRAG_REF
WB_FRAG_REF=$(git_t rev-parse HEAD)
trap 'git_t checkout -q "$branch"' EXIT

# --- checkpatch ----------------------------------------------------------
checkpatch() {
	local p name out bad
	for p in "$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch; do
		name=$(basename "$p")
		[ "$name" != 0000-cover-letter.patch ] || continue
		# Debian's python3 has the modules spdxcheck.py wants.
		out=$(cd "$TREE" && PATH=/usr/bin:$PATH perl scripts/checkpatch.pl \
			--strict --show-types --no-summary "$p" 2>&1 || true)
		if bad=$(python3 "$TOP/scripts/checkpatch-filter.py" \
			"$TOP/config/checkpatch-tolerated" <<<"$out"); then
			record "checkpatch $name" ok ""
		else
			printf '%s\n%s\n' "$name" "$out" >>"$logs/checkpatch.log"
			record "checkpatch $name" fail "$(printf '%s' "$bad" | head -3 | tr '\n' ' ') (build/logs/checkpatch.log)"
		fi
	done
}

# --- every commit builds -------------------------------------------------
bisect() {
	local c subj t
	# Newest first: HEAD is built already, and each step then rebuilds
	# only what one patch changed (the way back to HEAD hits ccache).
	for c in $(git_t rev-list base..HEAD); do
		subj=$(git_t log -1 --format=%s "$c")
		git_t checkout -q "$c"
		if ! KCONFIG_LENIENT=1 "$TOP/scripts/kernel.sh" build >"$logs/bisect-build.log" 2>&1; then
			record "builds: $subj" fail "kernel (build/logs/bisect-build.log)"
			continue
		fi
		for t in $(grep -v -e '^#' -e '^$' "$TOP/config/selftests"); do
			[ -d "$TREE/tools/testing/selftests/${t%/*}" ] || continue
			mkdir -p "$BUILD/bisect-selftests/${t%/*}"
			if ! make -s -C "$TREE/tools/testing/selftests/${t%/*}" \
				OUTPUT="$BUILD/bisect-selftests/${t%/*}" \
				KHDR_INCLUDES="-isystem $KOBJ/usr/include" \
				>>"$logs/bisect-build.log" 2>&1; then
				record "builds: $subj" fail "selftests ${t%/*} (build/logs/bisect-build.log)"
				continue 2
			fi
		done
		record "builds: $subj" ok ""
	done
	git_t checkout -q "$branch"
	rm -rf "$BUILD/bisect-selftests"
}

# --- no new W=1 / sparse warnings ---------------------------------------
# Warnings of the given objects, without line numbers, sorted.
warnings_of() {
	local objs=("$@")
	[ ${#objs[@]} -gt 0 ] || return 0
	"$TOP/scripts/kernel.sh" make W=1 C=2 "${objs[@]}" 2>&1 >/dev/null |
		grep -E '(warning|error):' |
		sed -E 's/:[0-9]+:[0-9]+:/:/; s/:[0-9]+:/:/' | LC_ALL=C sort || true
}

changed_api='iommu_(un)?register_device_fault_handler|iommu_report_device_fault|iommu_page_response\b'

warnings() {
	local files f objs_head=() objs_base=() new wsfx=
	[ "$WB_ARCH" = x86_64 ] || wsfx=" ($WB_ARCH)"
	# The files the series touches, and the callers of the API it
	# changes (arm-smmu-v3's SVA code on arm64, for one).
	files=$( {
		git_t diff --name-only --diff-filter=AM base.."$branch" -- '*.c'
		git_t grep -l -E "$changed_api" "$branch" -- 'drivers/*.c' |
			sed "s|^$branch:||"
	} | grep -v -e '^tools/' -e '^scripts/' -e '^Documentation/' |
		LC_ALL=C sort -u || true)
	if [ -z "$files" ]; then
		record "warnings$wsfx: W=1 + sparse" ok "no kernel C file touched"
		return
	fi
	for f in $files; do
		# Only real compilation units of this configuration (a file
		# #included by another one has no object of its own).
		[ -f "$KOBJ/${f%.c}.o" ] || continue
		objs_head+=("${f%.c}.o")
		git_t cat-file -e "base:$f" 2>/dev/null && objs_base+=("${f%.c}.o")
	done
	git_t checkout -q base
	KCONFIG_LENIENT=1 "$TOP/scripts/kernel.sh" config
	warnings_of "${objs_base[@]}" >"$logs/warnings-base$SFX.txt"
	git_t checkout -q "$branch"
	"$TOP/scripts/kernel.sh" config
	warnings_of "${objs_head[@]}" >"$logs/warnings-head$SFX.txt"
	new=$(LC_ALL=C comm -13 "$logs/warnings-base$SFX.txt" "$logs/warnings-head$SFX.txt")
	if [ -z "$new" ]; then
		record "warnings$wsfx: W=1 + sparse" ok "$(wc -l <"$logs/warnings-base$SFX.txt") at base, none new in $(echo "$files" | wc -w) file(s)"
	else
		printf '%s\n' "$new" >"$logs/warnings-new$SFX.txt"
		record "warnings$wsfx: W=1 + sparse" fail "$(printf '%s\n' "$new" | head -2 | tr '\n' ' ') (build/logs/warnings-new$SFX.txt)"
	fi
}

# --- a newcomer can make the tree ----------------------------------------
# No git identity, no ~/.gitconfig, no /etc/gitconfig: what a fresh
# machine has. The tree goes to a scratch BUILD, so build/linux is kept.
newcomer() {
	local scratch want have who
	scratch=$(mktemp -d)
	mkdir -p "$scratch/home"
	if ! (cd "$TOP" && env -i PATH="$PATH" HOME="$scratch/home" \
		GIT_CONFIG_NOSYSTEM=1 LANG=C.UTF-8 BUILD="$scratch/build" \
		make -s tree) >"$logs/newcomer.log" 2>&1; then
		record "newcomer: make tree without a git identity" fail "build/logs/newcomer.log"
		rm -rf "$scratch"
		return
	fi
	want=$(git_t rev-parse "$branch^{tree}")
	have=$(git -C "$scratch/build/linux" rev-parse 'HEAD^{tree}')
	who=$(git -C "$scratch/build/linux" log -1 --format='%cn <%ce>')
	if [ "$want" = "$have" ]; then
		record "newcomer: make tree without a git identity" ok "same tree as build/linux, committed by $who"
	else
		record "newcomer: make tree without a git identity" fail "tree $have, build/linux has $want"
	fi
	rm -rf "$scratch"
}

rm -f "$logs/checkpatch.log" "$logs/warnings-new$SFX.txt"
case "$what" in
all) newcomer; checkpatch; bisect; warnings ;;
checkpatch|bisect|warnings|newcomer) "$what" ;;
*) die "usage: check-series.sh [all|checkpatch|bisect|warnings|newcomer]" ;;
esac
cat "$tsv"
