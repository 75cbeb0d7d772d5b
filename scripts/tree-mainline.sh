#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# build/linux-7.2 = Debian unstable's linux-source-7.2 (pinned) as one
# deterministic base commit, tagged "base", plus patches-mainline/ applied
# with git am: the cookie fix for mainline's iommufd (make test-mainline).
#
# tree-mainline.sh ring: build/linux-7.2-ring, the same plus the fault ring
# RFC (patches-ring/) on top, the commit under it tagged "prereq"
# (make test-ring).
#
# The package comes from the unstable suite of the mirror the machine's
# own apt sources name, through a private apt state (lists, cache and
# sources under build/apt-unstable): the machine's apt configuration is not
# touched. Fixed identities and dates, so the base hash is
# config/base-commit-7.2 on every machine and no git identity is needed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

t=$BUILD/linux-7.2
[ "${1:-}" != ring ] || t=$BUILD/linux-7.2-ring
want=$(cat "$TOP/config/base-commit-7.2")
apt=$BUILD/apt-unstable
deb=$apt/${MAIN_DEB_PKG}_${MAIN_DEB_VERSION}_all.deb

fetch() {
	local mirror opts
	# The mirror of the machine's Debian sources (deb822 or one-line).
	# (|| true: grep fails on no match, or on SIGPIPE once head has its
	# line, and pipefail would end the script without a word.)
	mirror=$(grep -rhoE 'https?://[^ ]*/debian/?( |$)' /etc/apt/sources.list \
		/etc/apt/sources.list.d/ 2>/dev/null | head -n 1 | tr -d ' ' || true)
	[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
	printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s unstable main\n' \
		"${mirror%/}" >"$apt/sources.list"
	opts=(-o Dir::State::Lists="$apt/lists" -o Dir::Etc::sourcelist="$apt/sources.list"
		-o Dir::Etc::sourceparts=- -o Dir::Cache="$apt/cache"
		-o Acquire::Check-Valid-Until=false -o APT::Sandbox::User=root)
	note "fetching $MAIN_DEB_PKG $MAIN_DEB_VERSION from ${mirror%/} unstable (private apt state)"
	apt-get -qq "${opts[@]}" update
	(cd "$apt" && apt-get -qq "${opts[@]}" download "$MAIN_DEB_PKG=$MAIN_DEB_VERSION")
}

if [ "$(git -C "$t" rev-parse -q --verify base 2>/dev/null)" != "$want" ]; then
	[ -f "$deb" ] || fetch
	note "making ${t#"$TOP"/} from $(basename "$deb")"
	rm -rf "$t" "$apt/x"
	dpkg -x "$deb" "$apt/x"
	mkdir -p "$t"
	tar -C "$t" --strip-components=1 -xf "$apt/x/usr/src/$MAIN_DEB_PKG.tar.xz"
	rm -rf "$apt/x"
	base_commit "$t" "$MAIN_BASE_DATE" "Linux 7.2 from Debian $MAIN_DEB_PKG $MAIN_DEB_VERSION"
	got=$(git -C "$t" rev-parse base)
	[ "$got" = "$want" ] || die "7.2 base commit is $got, config/base-commit-7.2 says $want"
fi
git -C "$t" checkout -q -f -B series base
# git format-patch -vN names them vN-0001-...; the cover letter is 0000.
apply() {
	local patches
	patches=$(ls "$TOP/$1"/*.patch 2>/dev/null | grep -v -- '-\?0000-cover-letter\.patch$' || true)
	[ -n "$patches" ] || return 0
	# shellcheck disable=SC2086
	GIT_COMMITTER_NAME="$TREE_IDENT_NAME" GIT_COMMITTER_EMAIL="$TREE_IDENT_EMAIL" \
		git -C "$t" -c user.name="$TREE_IDENT_NAME" -c user.email="$TREE_IDENT_EMAIL" \
		am -q --committer-date-is-author-date $patches
}
apply patches-mainline
if [ "${1:-}" = ring ]; then
	git -C "$t" tag -f prereq >/dev/null
	apply patches-ring
fi
note "${t#"$TOP"/}: base $(git -C "$t" rev-parse --short base) + $(git -C "$t" rev-list --count base..HEAD) patches"
