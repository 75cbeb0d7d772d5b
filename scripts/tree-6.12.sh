#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# build/linux-6.12-series = Debian's linux-source-6.12 (pinned) as one
# deterministic base commit, tagged "base", plus patches-6.12/ applied with
# git am: the second series, for iommufd's fault queue (make test-6.12).
# Like tree.sh for 6.1: fixed identities and dates, so the base hash is
# config/base-commit-6.12 on every machine and no git identity is needed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

t=$BUILD/linux-6.12-series
want=$(cat "$TOP/config/base-commit-6.12")
"$TOP/scripts/deps.sh" bench

if [ "$(git -C "$t" rev-parse -q --verify base 2>/dev/null)" != "$want" ]; then
	note "making ${t#"$TOP"/} from $BENCH_DEB_TARBALL"
	rm -rf "$t"
	mkdir -p "$t"
	tar -C "$t" --strip-components=1 -xf "$BENCH_DEB_TARBALL"
	base_commit "$t" "$BENCH_BASE_DATE" "Linux 6.12 from Debian $BENCH_DEB_PKG $BENCH_DEB_VERSION"
	got=$(git -C "$t" rev-parse base)
	[ "$got" = "$want" ] || die "6.12 base commit is $got, config/base-commit-6.12 says $want"
fi
# -f: the tree is a build product; a killed make test-6.12 may have left
# the suite fitted to 6.12 (config/6.12/suite-compat.sh) in it.
git -C "$t" checkout -q -f -B series base
# git format-patch -vN names them vN-0001-...; the cover letter is 0000.
patches=$(ls "$TOP"/patches-6.12/*.patch | grep -v -- '-\?0000-cover-letter\.patch$')
# shellcheck disable=SC2086
GIT_COMMITTER_NAME="$TREE_IDENT_NAME" GIT_COMMITTER_EMAIL="$TREE_IDENT_EMAIL" \
	git -C "$t" -c user.name="$TREE_IDENT_NAME" -c user.email="$TREE_IDENT_EMAIL" \
	am -q --committer-date-is-author-date $patches
note "${t#"$TOP"/}: base $(git -C "$t" rev-parse --short base) + $(git -C "$t" rev-list --count base..HEAD) patches"
