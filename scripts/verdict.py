#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge one test boot (and the series checks) and print the verdict.

Reads build/logs/checks.tsv (series checks: name, ok|fail, detail) and,
for each architecture judged, its logs (build/logs/ for x86_64,
build/logs/arm64/ for arm64): console.log (kernel console, KUnit KTAP),
kselftest.log (the KTAP of run_kselftest.sh, run by the init script;
a skip fails the run) and the same two
of the boot without IOMMU (noiommu-*.log), and of the soak boot
(soak-*.log) for the architectures in $WB_VERDICT_SOAK. The architectures
are those in $WB_VERDICT_ARCHES, else $WB_ARCH (x86_64 by default);
--soak judges the soak boot alone (make soak). $WB_VERDICT_SERIES names
other series whose own verdict (build/logs/<name>-verdict.txt, ending in
"N passed, N failed") counts too: make test adds the mainline iommufd
series' and the fault ring RFC's this way. Prints one line per
result group, a total per architecture, every failure, and last the line
"N passed, N failed" (a skip counts as a failure). Exits 1 on any failure.
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
    r"(?i:Call Trace:)|boot: TIMEOUT")

# vfio_pci_fault_soak's fail-nth walk makes allocations fail on purpose
# between these two console lines. There, and only there, the report an
# allocation failure of the test's own task may print (warn_alloc(): a
# header naming the failure and the task, then the stack) is excused: the
# one stack trace that follows such a header within a few lines is
# expected. Anything else in the walk (KASAN, lockdep, WARNING, a leak,
# another task's report) still fails the run.
WALK_BEGINS = "vfio_pci_fault_soak: fail-nth walk begins"
WALK_ENDS = "vfio_pci_fault_soak: fail-nth walk ends"
# The header names the failing task: the walk's own (fail-nth fails only
# the allocations of the task that armed it), comm cut to 15 characters.
ALLOC_REPORT = re.compile(r"\] vfio_pci_fault_: (page allocation failure|vmalloc error): ")
ALLOC_REPORT_LINES = 8

passed = failed = 0
problems = []
# What each failure printed, shown after the failures (CI's output is often
# read from its tail only): per failed kselftest, its own log lines; per
# console, the first bad line and the lines after it (the stack), or its
# last lines before a boot's timeout.
evidence = []
EVIDENCE_LINES = 24


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
    global passed
    logs = os.path.dirname(console_path)
    out = os.path.join(logs, "kunit.json")
    if os.path.exists(out):
        os.remove(out)
    proc = subprocess.run(
        [sys.executable, os.path.join(TREE, "tools/testing/kunit/kunit.py"),
         "parse", "--json=" + out, console_path],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    with open(os.path.join(logs, "kunit.txt"), "w", encoding="utf-8") as f:
        f.write(proc.stdout)
    if not os.path.exists(out):
        fail("kunit: kunit.py parse produced no result (see %s/kunit.txt)" % logs)
        return
    kunit_json(out, "kunit")


def kunit_run():
    """make test's run of kunit.py on drivers/iommu/.kunitconfig."""
    out = os.path.join(LOGS, "kunit-run.json")
    print("== kunit.py run --kunitconfig=drivers/iommu --arch=x86_64")
    if not os.path.exists(out):
        fail("kunit.py run: no result (see %s/kunit-run.log)" % LOGS)
        return
    kunit_json(out, "kunit.py")


def kunit_json(out, tag):
    """Count the cases of kunit.py's JSON @out, suite by suite."""
    global passed
    with open(out, encoding="utf-8") as f:
        root = json.load(f)

    seen = {}

    def walk(group, suite):
        for case in group.get("test_cases", []):
            seen.setdefault(suite, [0, 0, 0])
            if case["status"] == "PASS":
                seen[suite][0] += 1
            elif case["status"] == "SKIP":
                # Not a pass: the suite has all it needs on these machines.
                seen[suite][2] += 1
                problems.append("%s: %s.%s: skipped where it should run"
                                % (tag, suite, case["name"]))
            else:
                seen[suite][1] += 1
                problems.append("%s: %s.%s: %s" % (tag, suite, case["name"], case["status"]))
        for sub in group.get("sub_groups", []):
            walk(sub, suite or sub["name"])

    walk(root, None)
    for suite, (p, f, s) in sorted(seen.items(), key=lambda kv: str(kv[0])):
        print("%-9s %-40s %3d passed %3d failed %3d skipped" % (tag, suite, p, f, s))
        passed += p
        globals()["failed"] += f + s
    for suite in listed("config/expected-kunit"):
        if suite not in seen:
            fail("%s: expected suite %s did not run" % (tag, suite))


def kselftests(text, listfile="config/selftests", log="kselftest.log"):
    """kselftest: the KTAP of run_kselftest.sh, as kernel CI reads it.

    The init script runs the installed run_kselftest.sh with one -t per
    program of @listfile; the runner prints a KTAP line per program and
    each program's own KTAP prefixed with "# ". A test that SKIPs fails
    the run: every test listed runs on the workbench's machines.
    """
    global passed
    if text is None or "workbench: selftests end" not in text:
        fail("kselftest: the run did not finish (see %s)" % log)
        if text:
            evidence.append(("log", os.path.basename(log) + " (its end)",
                             text.rstrip().splitlines()[-8:]))
    text = text or ""
    runner = re.search(r"^workbench: run_kselftest\.sh rc=(\d+)(?: secs=(\d+))?$",
                       text, re.M)
    # One block per program: from the runner's "# selftests: C: P" header
    # to its own "ok|not ok N selftests: C: P" line.
    blocks = {}
    for m in re.finditer(r"^# selftests: (\S+): (\S+)\n(.*?)^(ok|not ok) \d+ "
                         r"selftests: \1: \2([^\n]*)$", text, re.S | re.M):
        body = "\n".join(l[2:] if l.startswith("# ") else l.lstrip("#")
                         for l in m.group(3).splitlines())
        blocks["%s:%s" % (m.group(1), m.group(2))] = (body, m.group(4),
                                                      m.group(5).strip())
    for prog in listed(listfile):
        if prog not in blocks:
            fail("kselftest: %s: no result from run_kselftest.sh" % prog)
            # Begun, never ended (a hang, a boot timeout): what its tests
            # that failed before that printed.
            c, _, p = prog.partition(":")
            begun = re.search(r"^# selftests: %s: %s\n(.*)"
                              % (re.escape(c), re.escape(p)), text, re.S | re.M)
            if begun:
                body = "\n".join(l[2:] for l in begun.group(1).splitlines()
                                 if l.startswith("# "))
                for name in re.findall(r"^not ok \d+ (.*)$", body, re.M):
                    test_evidence(prog, body, name)
            continue
        body, verdict, directive = blocks[prog]
        plan = re.search(r"^1\.\.(\d+)", body, re.M)
        results = re.findall(r"^(ok|not ok) \d+ (.*)$", body, re.M)
        p = f = s = 0
        for v, name in results:
            if re.search(r"#\s*SKIP", name):
                # Not a pass: on these machines every test has what it needs.
                s += 1
                problems.append("kselftest: %s: %s skipped where it should run"
                                % (prog, name))
                test_evidence(prog, body, name)
            elif v == "ok":
                p += 1
            else:
                f += 1
                problems.append("kselftest: %s: %s failed" % (prog, name))
                test_evidence(prog, body, name)
        print("kselftest %-40s %3d passed %3d failed %3d skipped"
              % (prog, p, f, s))
        passed += p
        globals()["failed"] += f + s
        if not plan or int(plan.group(1)) == 0:
            fail("kselftest: %s ran no test (skipped as a whole?)" % prog)
        elif int(plan.group(1)) != len(results):
            fail("kselftest: %s planned %s tests, reported %d"
                 % (prog, plan.group(1), len(results)))
        if verdict != "ok" or directive:
            # "# TIMEOUT n seconds", "# exit=n", "# SKIP": the runner's word.
            fail("kselftest: run_kselftest.sh: %s %s %s"
                 % (verdict, prog, directive))
    if runner is None:
        fail("kselftest: run_kselftest.sh did not end (see %s)" % log)
    elif runner.group(2):
        print("kselftest %-40s %s s" % ("run_kselftest.sh (%s)" % listfile.split("/")[-1],
                                        runner.group(2)))


def test_evidence(prog, body, name):
    """The log lines of the failed test @name of @prog (asserts, TH_LOG)."""
    name = name.split(" #")[0].strip()
    block = re.search(r"^#\s+RUN\s+%s \.\.\.\n(.*?)^not ok \d+ %s"
                      % (re.escape(name), re.escape(name)), body, re.S | re.M)
    if not block:
        return
    lines = [l for l in block.group(1).splitlines()
             if not re.match(r"#\s+(OK|FAIL|SKIP)\s", l)]
    # The assert or the timeout comes last.
    evidence.append(("test", "%s: %s" % (prog, name), lines[-5:]))


def console(text, name="console.log"):
    if text is None:
        fail("console: no %s" % name)
        return
    bad = []               # (line number, line)
    walk = False
    report_at = None        # line number of an excused allocation report
    excused = 0
    for i, line in enumerate(text.splitlines()):
        if WALK_BEGINS in line:
            walk = True
        elif WALK_ENDS in line:
            walk = False
            report_at = None
        elif walk and ALLOC_REPORT.search(line):
            report_at = i
            excused += 1
        elif BAD_CONSOLE.search(line):
            if (report_at is not None and i - report_at <= ALLOC_REPORT_LINES
                    and re.search(r"(?i)Call Trace:", line)):
                report_at = None
                continue
            bad.append((i, line))
    for _, line in bad[:20]:
        problems.append("console: " + line.strip())
    lines = text.splitlines()
    first = next((i for i, l in bad if not l.startswith("boot: TIMEOUT")), None)
    if first is not None:
        # The first splat and the stack after it.
        evidence.append(("console", name,
                         [l.rstrip() for l in lines[first:first + 12]]))
    end = next((i for i, l in bad if l.startswith("boot: TIMEOUT")), None)
    if end is not None:
        # A hang: what the console said last (heartbeat included).
        evidence.append(("console", name + " before the timeout",
                         [l.rstrip() for l in lines[max(0, end - 11):end + 1]]))
    if bad:
        globals()["failed"] += 1
    note = ("%d bad line(s)" % len(bad) if bad else "clean")
    if excused:
        note += " (%d allocation failure report(s) of the fail-nth walk excused)" % excused
    print("console   %-40s %s" % (name + ": BUG/WARNING/KASAN/lockdep/leaks", note))


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


MACHINES = {
    "x86_64": ("", "q35, VT-d"),
    "arm64": ("arm64", "virt, SMMUv3"),
}


def judge(arch):
    """One architecture's two boots; problems are tagged with @arch."""
    global problems
    sub, machine = MACHINES[arch]
    logs = os.path.join(LOGS, sub) if sub else LOGS
    before = (passed, failed)
    outer, problems = problems, []
    ev0 = len(evidence)
    print("== %s (%s): %s" % (arch, machine, logs))
    # A test boot that froze (a CPU halted with a vector in service) was
    # booted once more by boot.sh; its logs are *-frozen.*. Say so.
    # Its console still has to be clean up to where it froze (boot.sh's own
    # lines aside: the timeout is why it was booted again).
    for p in ("", "noiommu-", "soak-"):
        if os.path.exists(os.path.join(logs, p + "guest-state-frozen.txt")):
            print("note      %sconsole-frozen.log: that boot froze (a CPU halted "
                  "with a vector in service) and was booted once more" % p)
            text = read(os.path.join(logs, p + "console-frozen.log"))
            if text is not None:
                text = "\n".join(l for l in text.splitlines()
                                 if not l.startswith("boot: "))
            console(text, p + "console-frozen.log")
    console_path = os.path.join(logs, "console.log")
    con = read(console_path)
    if con is not None:
        kunit(console_path)
    kselftests(read(os.path.join(logs, "kselftest.log")),
               log=os.path.join(logs, "kselftest.log"))
    console(con)
    # The second boot, without IOMMU (vfio no-IOMMU mode).
    kselftests(read(os.path.join(logs, "noiommu-kselftest.log")),
               "config/selftests-noiommu",
               os.path.join(logs, "noiommu-kselftest.log"))
    console(read(os.path.join(logs, "noiommu-console.log")),
            "noiommu-console.log")
    # The reliability tests, in a boot of their own (make test: x86_64).
    if arch in os.environ.get("WB_VERDICT_SOAK", "").split():
        kselftests(read(os.path.join(logs, "soak-kselftest.log")),
                   "config/selftests-soak",
                   os.path.join(logs, "soak-kselftest.log"))
        console(read(os.path.join(logs, "soak-console.log")),
                "soak-console.log")
    print("%s: %d passed, %d failed" % (arch, passed - before[0], failed - before[1]))
    problems = outer + ["%s: %s" % (arch, p) for p in problems]
    evidence[ev0:] = [(k, "%s: %s" % (arch, t), l) for k, t, l in evidence[ev0:]]
    if failed != before[1]:
        problems.append("%s: logs: %s/{,noiommu-}{console,kselftest}.log"
                        % (arch, logs))


def soak(arch):
    """make soak: the soak boot alone."""
    sub = MACHINES[arch][0]
    logs = os.path.join(LOGS, sub) if sub else LOGS
    print("== %s soak: %s" % (arch, logs))
    kselftests(read(os.path.join(logs, "soak-kselftest.log")),
               "config/selftests-soak", os.path.join(logs, "soak-kselftest.log"))
    console(read(os.path.join(logs, "soak-console.log")), "soak-console.log")


def series_verdict(name):
    """Fold another series' verdict (test-iommufd.sh's output) into ours."""
    global passed, failed
    path = os.path.join(LOGS, name + "-verdict.txt")
    text = read(path) or ""
    m = None
    for m in re.finditer(r"^(\d+) passed, (\d+) failed$", text, re.M):
        pass
    if not m:
        fail("%s series: no verdict (see %s)" % (name, path))
        return
    print("series %-36s %s passed, %s failed (%s)" % (name, m.group(1), m.group(2), path))
    passed += int(m.group(1))
    for l in re.findall(r"^FAIL: (.*)$", text, re.M):
        problems.append("%s series: %s" % (name, l))
    failed += int(m.group(2))
    if int(m.group(2)) and not re.search(r"^FAIL: ", text, re.M):
        problems.append("%s series: %s failed (see %s)" % (name, m.group(2), path))


def main():
    # As scripts/lib.sh: $WB_ARCH, else $ARCH (ARCH=arm64 make run).
    alias = {"x86": "x86_64", "aarch64": "arm64"}
    arches = [alias.get(a, a) for a in
              (os.environ.get("WB_VERDICT_ARCHES") or os.environ.get("WB_ARCH")
               or os.environ.get("ARCH") or "x86_64").split()]
    if sys.argv[1:] == ["--soak"]:
        for arch in arches:
            soak(arch)
        arches = []
    else:
        checks()
        if os.environ.get("WB_VERDICT_KUNIT_RUN"):
            kunit_run()
        for name in os.environ.get("WB_VERDICT_SERIES", "").split():
            series_verdict(name)
    for arch in arches:
        if arch not in MACHINES:
            fail("verdict: unknown architecture %s" % arch)
            continue
        judge(arch)
    for p in problems:
        print("FAIL: " + p)
    # The first failed test, then the consoles and logs, then the other
    # tests, as far as the budget goes.
    tests = [e for e in evidence if e[0] == "test"]
    budget = EVIDENCE_LINES
    for _, title, lines in (tests[:1] + [e for e in evidence if e[0] != "test"]
                            + tests[1:]):
        if budget <= 1:
            break
        print("-- %s" % title)
        for l in lines[:budget - 1]:
            print("   " + l)
        budget -= 1 + min(len(lines), budget - 1)
    line = "%d passed, %d failed" % (passed, failed)
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
