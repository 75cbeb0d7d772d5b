#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Turn base..HEAD of build/linux into patches/ (default), or compare them.
#
#   export.sh                   regenerate patches/ from build/linux
#   export.sh --check           fail unless patches/ holds exactly build/linux
#   export.sh --safe-to-replace succeed when build/linux holds nothing that
#                               patches/ lacks (used by tree.sh)
#
# The output is stable: zero commit ids, no signature, fixed abbreviation,
# and the cover letter dated and signed as the newest patch, so that
# "make tree && make export" changes nothing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mode=${1:-export}
cover=$PATCHES/0000-cover-letter.patch

[ -d "$TREE/.git" ] || die "no build/linux: run 'make tree' first"
git -C "$TREE" rev-parse -q --verify base >/dev/null || die "build/linux has no 'base' tag"

problems=0
complain() { printf 'export-check: %s\n' "$*" >&2; problems=1; }

dirty=$(git -C "$TREE" status --porcelain --untracked-files=no)
if [ -n "$dirty" ]; then
	complain "build/linux has uncommitted changes; commit them (git commit -s):"
	printf '%s\n' "$dirty" | sed 's/^/    /' >&2
fi
# Debian's top-level .gitignore says "/*", so git status hides new files:
# list untracked files without any exclude rule (the build is out of tree).
untracked=$(git -C "$TREE" ls-files --others | grep -v -e '/__pycache__/' || true)
if [ -n "$untracked" ]; then
	complain "build/linux has untracked files; add new ones with 'git add -f' and commit, or delete them:"
	printf '%s\n' "$untracked" | head -20 | sed 's/^/    /' >&2
fi
if [ -n "$(git -C "$TREE" rev-parse -q --verify MERGE_HEAD 2>/dev/null)" ] ||
   [ -d "$TREE/.git/rebase-apply" ] || [ -d "$TREE/.git/rebase-merge" ]; then
	complain "build/linux is in the middle of a merge, rebase or am"
fi

render() {
	local out=$1 n head prefix=PATCH version
	version=$(cat "$TOP/config/series-version" 2>/dev/null || echo 1)
	[ "$version" = 1 ] || prefix="PATCH v$version"
	n=$(git -C "$TREE" rev-list --count base..HEAD)
	[ "$n" -gt 0 ] || return 0
	head=$(git -C "$TREE" rev-parse HEAD)
	if [ -f "$cover" ]; then
		python3 "$TOP/scripts/cover-description.py" "$cover" >"$out/.description"
	else
		printf '*** SUBJECT HERE ***\n\n*** BLURB HERE ***\n' >"$out/.description"
	fi
	git -C "$TREE" config branch.series.description "$(cat "$out/.description")"
	rm -f "$out/.description"
	GIT_COMMITTER_NAME=$(git -C "$TREE" log -1 --format=%an "$head") \
	GIT_COMMITTER_EMAIL=$(git -C "$TREE" log -1 --format=%ae "$head") \
	GIT_COMMITTER_DATE=$(git -C "$TREE" log -1 --format=%aD "$head") \
		git -C "$TREE" -c diff.algorithm=myers -c diff.renames=true \
		format-patch -q -o "$out" --numbered --cover-letter \
		--subject-prefix="$prefix" \
		--cover-from-description=subject --zero-commit --no-signature \
		--abbrev=12 --stat=80 --base=base --no-thread base..HEAD
	git -C "$TREE" config --unset branch.series.description || true
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
render "$tmp"

same=1
diff -r -q "$tmp" "$PATCHES" >/dev/null 2>&1 || same=0

case "$mode" in
export)
	[ $problems -eq 0 ] || die "nothing exported"
	mkdir -p "$PATCHES"
	rm -f "$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch
	cp "$tmp"/*.patch "$PATCHES"/ 2>/dev/null || true
	git -C "$TREE" rev-parse HEAD >"$TREE/.git/workbench-head"
	note "exported $(ls "$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch 2>/dev/null | wc -l) file(s) to patches/"
	;;
--check)
	if [ $same -eq 0 ]; then
		if [ "$(cat "$TREE/.git/workbench-head" 2>/dev/null)" = "$(git -C "$TREE" rev-parse HEAD)" ]; then
			complain "patches/ changed since build/linux was made; run 'make tree'"
		else
			complain "build/linux has commits that patches/ does not hold; run 'make export' and commit patches/"
		fi
		diff -r -u "$PATCHES" "$tmp" 2>&1 | head -40 | sed 's/^/    /' >&2 || true
	fi
	[ $problems -eq 0 ] || exit 1
	;;
--safe-to-replace)
	[ $problems -eq 0 ] || exit 1
	# Untouched since the last 'make tree' or 'make export': nothing to lose.
	[ "$(cat "$TREE/.git/workbench-head" 2>/dev/null)" = "$(git -C "$TREE" rev-parse HEAD)" ] && exit 0
	[ $same -eq 1 ] || { complain "build/linux has commits that patches/ does not hold"; exit 1; }
	;;
*)
	die "usage: export.sh [--check|--safe-to-replace]"
	;;
esac
