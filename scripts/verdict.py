#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge one test boot (and the series checks) and print the verdict.

Reads build/logs/: console.log (kernel console, KUnit KTAP),
kselftest.log (kselftest KTAP framed by the init script) and checks.tsv
(series checks: name, ok|fail, detail). Prints one line per result group,
every failure, and last the line "N passed, N failed[, N skipped]".
Exits 1 on any failure.
"""
import json
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("BUILD", os.path.join(TOP, "build"))
LOGS = os.path.join(BUILD, "logs")
TREE = os.path.join(BUILD, "linux")

# Console lines that fail the run whatever the tests said.
BAD_CONSOLE = re.compile(
    r"BUG:|WARNING:|Oops|Kernel panic|general protection fault|"
    r"KASAN:|UBSAN:|possible (recursive|circular|irq) locking|"
    r"inconsistent lock state|suspicious RCU usage|INFO: task .* blocked|"
    r"lockdep is turned off|unreferenced object|suspected memory leak|"
    r"Call Trace:|boot: TIMEOUT")

passed = failed = skipped = 0
problems = []


def fail(msg):
    global failed
    failed += 1
    problems.append(msg)


def listed(path):
    with open(os.path.join(TOP, path), encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return None


def kunit(console_path):
    """KUnit: parse the console with the tree's own kunit.py."""
    global passed, skipped
    out = os.path.join(LOGS, "kunit.json")
    if os.path.exists(out):
        os.remove(out)
    proc = subprocess.run(
        [sys.executable, os.path.join(TREE, "tools/testing/kunit/kunit.py"),
         "parse", "--json=" + out, console_path],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    with open(os.path.join(LOGS, "kunit.txt"), "w", encoding="utf-8") as f:
        f.write(proc.stdout)
    if not os.path.exists(out):
        fail("kunit: kunit.py parse produced no result (see build/logs/kunit.txt)")
        return
    with open(out, encoding="utf-8") as f:
        root = json.load(f)

    seen = {}

    def walk(group, suite):
        for case in group.get("test_cases", []):
            seen.setdefault(suite, [0, 0, 0])
            if case["status"] == "PASS":
                seen[suite][0] += 1
            elif case["status"] == "SKIP":
                seen[suite][2] += 1
            else:
                seen[suite][1] += 1
                problems.append("kunit: %s.%s: %s" % (suite, case["name"], case["status"]))
        for sub in group.get("sub_groups", []):
            walk(sub, suite or sub["name"])

    walk(root, None)
    for suite, (p, f, s) in sorted(seen.items(), key=lambda kv: str(kv[0])):
        print("kunit     %-40s %3d passed %3d failed %3d skipped" % (suite, p, f, s))
        passed += p
        skipped += s
        globals()["failed"] += f
    for suite in listed("config/expected-kunit"):
        if suite not in seen:
            fail("kunit: expected suite %s did not run" % suite)


def kselftests(text, listfile="config/selftests", log="kselftest.log"):
    """kselftest: each program's KTAP between the init script's markers."""
    global passed, skipped
    if text is None or "workbench: selftests end" not in text:
        fail("kselftest: the run did not finish (see build/logs/%s)" % log)
    text = text or ""
    runs = dict(re.findall(r"^### begin (\S+)\n(.*?)^### end \1 rc=", text, re.S | re.M))
    rcs = dict(re.findall(r"^### end (\S+) rc=(\d+)", text, re.M))
    for prog in listed(listfile):
        if prog not in runs:
            fail("kselftest: expected program %s did not run" % prog)
            continue
        body = runs[prog]
        plan = re.search(r"^1\.\.(\d+)", body, re.M)
        results = re.findall(r"^(ok|not ok) \d+ (.*)$", body, re.M)
        p = f = s = 0
        for verdict, name in results:
            if re.search(r"#\s*SKIP", name):
                s += 1
            elif verdict == "ok":
                p += 1
            else:
                f += 1
                problems.append("kselftest: %s: %s failed" % (prog, name))
        print("kselftest %-40s %3d passed %3d failed %3d skipped" % (prog, p, f, s))
        passed += p
        skipped += s
        globals()["failed"] += f
        if not plan or int(plan.group(1)) == 0:
            fail("kselftest: %s ran no test (skipped as a whole?)" % prog)
        elif int(plan.group(1)) != len(results):
            fail("kselftest: %s planned %s tests, reported %d"
                 % (prog, plan.group(1), len(results)))
        if rcs.get(prog) != "0":
            fail("kselftest: %s exited with %s" % (prog, rcs.get(prog)))


def console(text, name="console.log"):
    if text is None:
        fail("console: no %s" % name)
        return
    bad = [l for l in text.splitlines() if BAD_CONSOLE.search(l)]
    for line in bad[:20]:
        problems.append("console: " + line.strip())
    if bad:
        globals()["failed"] += 1
    print("console   %-40s %s" % (name + ": BUG/WARNING/KASAN/lockdep/leaks",
                                   "%d bad line(s)" % len(bad) if bad else "clean"))


def checks():
    global passed
    text = read(os.path.join(LOGS, "checks.tsv"))
    if text is None:
        return
    for line in text.splitlines():
        name, status, detail = (line.split("\t") + ["", ""])[:3]
        print("check     %-40s %s %s" % (name, status, detail))
        if status == "ok":
            passed += 1
        else:
            fail("check: %s: %s" % (name, detail))


def main():
    console_path = os.path.join(LOGS, "console.log")
    con = read(console_path)
    checks()
    if con is not None:
        kunit(console_path)
    kselftests(read(os.path.join(LOGS, "kselftest.log")))
    console(con)
    # The second boot, without IOMMU (vfio no-IOMMU mode).
    kselftests(read(os.path.join(LOGS, "noiommu-kselftest.log")),
               "config/selftests-noiommu", "noiommu-kselftest.log")
    console(read(os.path.join(LOGS, "noiommu-console.log")),
            "noiommu-console.log")
    for p in problems:
        print("FAIL: " + p)
    if failed:
        print("logs: %s/{,noiommu-}console.log %s/{,noiommu-}kselftest.log"
              % (LOGS, LOGS))
    line = "%d passed, %d failed" % (passed, failed)
    if skipped:
        line += ", %d skipped" % skipped
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
