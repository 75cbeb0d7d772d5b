#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge make test-mainline / test-6.12 / test-ring (argument: mainline,
6.12 or ring): the series checks, the boot with the series (every test of
config/<line>/selftests passes or is a known failure, none skips, console
clean, every test named in config/<line>/new-tests passes somewhere) and,
for mainline and 6.12, the boot of the series without its fix (the new
tests fail there for the stale response's reason, every other test passes
or is a known failure: the new tests can fail, and only they). Prints
"N passed, N failed"."""
import fnmatch
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
LINE = sys.argv[1] if len(sys.argv) > 1 else "mainline"
ML = os.path.join(LOGS, LINE)
TREE = {"mainline": "Linux 7.2 + patches-mainline",
        "6.12": "Linux 6.12 + patches-6.12",
        "ring": "Linux 7.2 + patches-mainline + patches-ring"}[LINE]
# Lines with a kernel of the series without its fix, where the new tests
# must fail (the ring RFC adds an interface: without it they cannot run).
NOFIX = LINE in ("mainline", "6.12")


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
    new = v.listed("config/%s/new-tests" % LINE)
    known = v.listed("config/%s/known-failures" % LINE)

    def is_known(key):
        return any(fnmatch.fnmatch(key, pat) for pat in known)

    def is_new(key):
        return any(fnmatch.fnmatch(key, pat) for pat in new)

    # With the series: every program ran to its end, every test passed;
    # upstream's own tests may skip (fixture variants without a domain),
    # the series' new ones only in the no_domain variant.
    print("== " + TREE)
    log = os.path.join(LOGS, LINE + "-kselftest.log")
    text = v.read(log) or ""
    if "workbench: selftests end" not in text:
        v.fail(LINE + ": the run did not finish (see %s)" % log)
    res = results(text)
    for prog in v.listed("config/%s/selftests" % LINE):
        name = prog.split(":", 1)[1]
        top = re.search(r"^(ok|not ok) \d+ selftests: iommu: %s([^\n]*)$"
                        % re.escape(name), text, re.M)
        mine = {k: r for k, r in res.items() if k.startswith(name + ": ")}
        p = sum(r == "ok" for r in mine.values())
        f = sum(r == "not ok" for r in mine.values())
        s_ = sum(r == "skip" for r in mine.values())
        print("kselftest %-40s %3d passed %3d failed %3d skipped (upstream's)"
              % (prog, p, f, s_))
        v.passed += p
        for k, r in sorted(mine.items()):
            if r == "not ok" and is_known(k):
                print("known     %s fails (config/%s/known-failures)" % (k, LINE))
            elif r == "not ok":
                v.fail(LINE + ": %s failed" % k)
            elif r == "skip" and is_new(k) and ".no_domain." not in k:
                v.fail(LINE + ": %s skipped where it should run" % k)
        if not top or (top.group(1) != "ok" and not any(
                is_known(k) for k, r in mine.items() if r == "not ok")):
            v.fail(LINE + ": run_kselftest.sh: %s %s" % (
                top.group(1) if top else "no result for", prog + (top.group(2) if top else "")))
    ran = [k for k, r in res.items() if is_new(k) and r == "ok"]
    print("kselftest %-40s %3d passed" % ("(the series' new tests)", len(ran)))
    for pat in new:
        if not any(fnmatch.fnmatch(k, pat) for k in ran):
            v.fail(LINE + ": %s did not pass in any variant" % pat)
    v.console(v.read(os.path.join(LOGS, LINE + "-console.log")),
              LINE + "-console.log")
    if not NOFIX:
        return finish()
    # Without: the new tests must fail, and nothing else.
    print("== " + TREE + " without its fix")
    btext = v.read(os.path.join(LOGS, LINE + "-nofix-kselftest.log")) or ""
    base = results(btext)
    if not base:
        v.fail("unpatched: no results (see %s/%s-nofix-kselftest.log)" % (LOGS, LINE))
    newb = {k: r for k, r in base.items() if is_new(k) and ".no_domain." not in k}
    for k, r in sorted(newb.items()):
        print("unpatched %-66s %s" % (k, r))
        if is_known(k):
            # Fails with the series too, for the reason known-failures gives.
            continue
        # The reason must be the stale response: the mock saw a group
        # completed by a response written for another.
        test = k.split(": ", 1)[1]
        block = re.search(r"^# #\s+RUN\s+%s \.\.\.\n(.*?)^# (?:not )?ok \d+ %s"
                          % (re.escape(test), re.escape(test)), btext, re.S | re.M)
        why = block and "completed by a response it was not written for" in block.group(1)
        if r == "not ok" and why:
            v.passed += 1
        elif r == "not ok":
            v.fail("unpatched: %s failed, but not for the stale response" % k)
        else:
            v.fail("unpatched: %s should fail without the fix, got %s" % (k, r))
    if base and not newb:
        v.fail("unpatched: the series' new tests did not run")
    others = [k for k, r in base.items()
              if not is_new(k) and not is_known(k) and r == "not ok"]
    for k in others:
        v.fail("unpatched: %s fails without the series too" % k)
    if base and not others:
        print("unpatched %-66s ok" % ("every other test (%d)" % (len(base) - len(newb))))
        v.passed += 1
    return finish()


def finish():
    for p in v.problems:
        print("FAIL: " + p)
    print("%d passed, %d failed" % (v.passed, v.failed))
    return 1 if v.failed else 0


if __name__ == "__main__":
    sys.exit(main())
