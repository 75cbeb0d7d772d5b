#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge make test-mainline: the series checks, the boot with the series
(every test of config/mainline/selftests passes, none skips, console
clean) and the boot of the unpatched base (the tests named in
config/mainline/new-tests fail there, every other test passes: the new
tests can fail, and only they). Prints "N passed, N failed"."""
import importlib.util
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location(
    "verdict", os.path.join(TOP, "scripts", "verdict.py"))
v = importlib.util.module_from_spec(spec)
spec.loader.exec_module(v)
LOGS = v.LOGS
ML = os.path.join(LOGS, "mainline")


def results(text):
    """{"prog: test": "ok"|"not ok"|"skip"} from run_kselftest.sh's KTAP."""
    out = {}
    for m in re.finditer(r"^# selftests: (\S+): (\S+)\n(.*?)^(?:ok|not ok) \d+ "
                         r"selftests: \1: \2[^\n]*$", text or "", re.S | re.M):
        for r, name in re.findall(r"^# (ok|not ok) \d+ (.*)$", m.group(3), re.M):
            key = "%s: %s" % (m.group(2), name.split(" #")[0].strip())
            out[key] = "skip" if re.search(r"#\s*SKIP", name) else r
    return out


def main():
    text = v.read(os.path.join(ML, "checks.tsv")) or ""
    for line in text.splitlines():
        name, status, detail = (line.split("\t") + ["", ""])[:3]
        print("check     %-40s %s %s" % (name, status, detail))
        if status == "ok":
            v.passed += 1
        else:
            v.fail("check: %s: %s" % (name, detail))
    # With the series: as make test judges a boot.
    print("== Linux 7.2 + patches-mainline")
    v.kselftests(v.read(os.path.join(LOGS, "mainline-kselftest.log")),
                 "config/mainline/selftests",
                 os.path.join(LOGS, "mainline-kselftest.log"))
    v.console(v.read(os.path.join(LOGS, "mainline-console.log")),
              "mainline-console.log")
    # Without: the new tests must fail, and nothing else.
    print("== Linux 7.2 unpatched")
    new = v.listed("config/mainline/new-tests")
    base = results(v.read(os.path.join(LOGS, "mainline-base-kselftest.log")))
    if not base:
        v.fail("unpatched: no results (see %s/mainline-base-kselftest.log)" % LOGS)
    for name in new:
        got = base.get(name)
        print("unpatched %-56s %s" % (name, got))
        if got == "not ok":
            v.passed += 1
        else:
            v.fail("unpatched: %s should fail without the series, got %s" % (name, got))
    others = [k for k, r in base.items() if k not in new and r != "ok"]
    for k in others:
        v.fail("unpatched: %s: %s (fails without the series too)" % (k, base[k]))
    if base and not others:
        print("unpatched %-56s ok" % ("every other test (%d)" % (len(base) - len(new))))
        v.passed += 1
    for p in v.problems:
        print("FAIL: " + p)
    print("%d passed, %d failed" % (v.passed, v.failed))
    return 1 if v.failed else 0


if __name__ == "__main__":
    sys.exit(main())
