#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Filter checkpatch.pl --show-types output through the tolerated list.

Usage: checkpatch-filter.py TOLERATED < checkpatch-output
Prints every report that is not tolerated (type, file, message) and exits
1 if there is one. Only CHECK-level reports can be tolerated, and an
unknown commit id that the list names (UNKNOWN_COMMIT_ID and the id).
"""
import re
import sys


def main(tolerated_path):
    tolerated = set()
    with open(tolerated_path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            kind, path = line.split("\t")[:2]
            tolerated.add((kind, path))

    reports = []
    for line in sys.stdin:
        m = re.match(r"^(ERROR|WARNING|CHECK):([A-Z0-9_]+): (.*)", line)
        if m:
            reports.append([m.group(1), m.group(2), "-", m.group(3).strip()])
            continue
        m = re.match(r"^#\d+: FILE: ([^:]+):", line)
        if m and reports and reports[-1][2] == "-":
            reports[-1][2] = m.group(1)

    def ok(level, kind, path, msg):
        if level == "CHECK" and (kind, path) in tolerated:
            return True
        # A Fixes: tag names a mainline commit the history-less base lacks.
        m = re.match(r"Unknown commit id '([0-9a-f]+)'", msg)
        return kind == "UNKNOWN_COMMIT_ID" and m and \
            (kind, m.group(1)) in tolerated

    bad = [r for r in reports if not ok(*r)]
    for level, kind, path, msg in bad:
        print("%s:%s %s: %s" % (level, kind, path, msg))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
