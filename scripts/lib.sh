# SPDX-License-Identifier: GPL-2.0
# Common settings for the workbench scripts; sourced, never run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
TREE=$BUILD/linux
KOBJ=$BUILD/kernel
PATCHES=$TOP/patches

# The base the series is written against, pinned.
DEB_PKG=linux-source-6.1
DEB_VERSION=6.1.192-2
DEB_TARBALL=/usr/src/linux-source-6.1.tar.xz
# Identity and date of the base commit: the package's maintainer and the
# date of its changelog entry, so the base hash is the same everywhere.
BASE_IDENT_NAME="Debian Kernel Team"
BASE_IDENT_EMAIL="debian-kernel@lists.debian.org"
BASE_DATE="Mon, 16 Nov 2026 11:17:40 +0100"
# Committer of the series' commits in build/linux: the tree is made by the
# workbench, not by whoever runs it, so it needs no git identity of the
# user's (a newcomer may have none) and its commit ids are the same on every
# machine. Authors come from the patches.
TREE_IDENT_NAME="Series workbench"
TREE_IDENT_EMAIL="workbench@localhost.invalid"

export CCACHE_DIR=${CCACHE_DIR:-$HOME/.ccache}
export PYTHONDONTWRITEBYTECODE=1
JOBS=${JOBS:-$(nproc)}

die() { printf 'error: %s\n' "$*" >&2; exit 1; }
note() { printf '==> %s\n' "$*" >&2; }

# Seconds since the epoch, for stage timings.
now() { date +%s; }
