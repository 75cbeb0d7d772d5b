#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Lay out build/linux: the pinned Debian source as the commit tagged "base"
# (same hash on every machine), then every patch of patches/ on top.
# Refuses to throw away commits or edits that patches/ does not hold.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

expected_base=$(cat "$TOP/config/base-commit" 2>/dev/null || true)

make_base() {
	local dir=$1

	[ -r "$DEB_TARBALL" ] || die "$DEB_TARBALL missing: run 'make deps'"
	rm -rf "$dir"
	mkdir -p "$dir"
	note "unpacking $DEB_TARBALL"
	tar -C "$dir" --strip-components=1 -xf "$DEB_TARBALL"
	git -C "$dir" init -q -b series
	git -C "$dir" config gc.auto 0
	git -C "$dir" config core.abbrev 12
	note "committing the base (Debian's .gitignore ignores /*, so add -f)"
	git -C "$dir" add -f -A .
	GIT_AUTHOR_NAME="$BASE_IDENT_NAME" GIT_AUTHOR_EMAIL="$BASE_IDENT_EMAIL" \
	GIT_COMMITTER_NAME="$BASE_IDENT_NAME" GIT_COMMITTER_EMAIL="$BASE_IDENT_EMAIL" \
	GIT_AUTHOR_DATE="$BASE_DATE" GIT_COMMITTER_DATE="$BASE_DATE" \
		git -C "$dir" -c commit.gpgsign=false commit -q --no-verify \
		-m "Linux 6.1 from Debian $DEB_PKG $DEB_VERSION" \
		-m "Unpacked from $DEB_TARBALL, unmodified."
	git -C "$dir" tag base
}

if [ -d "$TREE/.git" ]; then
	if ! "$TOP/scripts/export.sh" --safe-to-replace; then
		die "refusing to replace build/linux: it holds work that patches/ does not (see above); run 'make export' and commit patches/, or move build/linux away"
	fi
	have_base=$(git -C "$TREE" rev-parse -q --verify 'base^{commit}' || true)
	if [ -n "$expected_base" ] && [ "$have_base" = "$expected_base" ]; then
		note "reusing the base commit of build/linux"
		git -C "$TREE" am --abort >/dev/null 2>&1 || true
		git -C "$TREE" checkout -q -f -B series base
		git -C "$TREE" clean -q -f -d -x
	else
		rm -rf "$TREE"
	fi
elif [ -e "$TREE" ]; then
	die "build/linux exists and is not a git tree; remove it first"
fi

if [ ! -d "$TREE/.git" ]; then
	make_base "$TREE.new"
	mv "$TREE.new" "$TREE"
fi

base=$(git -C "$TREE" rev-parse base)
if [ -z "$expected_base" ]; then
	echo "$base" >"$TOP/config/base-commit"
	note "recorded base commit $base in config/base-commit"
elif [ "$base" != "$expected_base" ]; then
	die "base commit is $base, config/base-commit says $expected_base: is $DEB_PKG at $DEB_VERSION?"
fi

mapfile -t series < <(find "$PATCHES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-cover-letter.patch' | sort)
if [ ${#series[@]} -gt 0 ]; then
	note "applying ${#series[@]} patch(es)"
	if ! GIT_COMMITTER_NAME="$TREE_IDENT_NAME" GIT_COMMITTER_EMAIL="$TREE_IDENT_EMAIL" \
		git -C "$TREE" -c commit.gpgsign=false am -q \
		--committer-date-is-author-date "${series[@]}"; then
		git -C "$TREE" am --abort || true
		die "the series does not apply to base"
	fi
fi
git -C "$TREE" rev-parse HEAD >"$TREE/.git/workbench-head"
note "build/linux: base $(git -C "$TREE" rev-parse --short base), $(git -C "$TREE" rev-list --count base..HEAD) patch(es) on top"
