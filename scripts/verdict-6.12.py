#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge make test-6.12 from LOGS (build/logs/6.12): results.tsv (checks),
series.log / series-console.log (the series' kernel: every iommufd_fault
and iommufd_fail_nth test passes, console clean by verdict.py's rule) and unpatched.log (6.12
without the series: the stale-response tests fail, the detach test
passes). Prints one line a result, the failures, and last
"N passed, N failed". Exits 1 on any failure."""
import importlib.util
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("verdict", os.path.join(HERE, "verdict.py"))
verdict = importlib.util.module_from_spec(spec)
spec.loader.exec_module(verdict)

STALE = ["fault.late_response_after_reattach_is_refused",
         "fault.two_pending_at_detach_then_a_third",
         "fault.repeated_response_completes_no_newer_group"]
DETACH = "fault.detach_answers_what_is_pending"
WRAP = "fault.cookies_wrap_past_the_32_bit_limit"


def results(path):
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
    except FileNotFoundError:
        return None
    # "pass", "fail" or "skip" ("ok N name # SKIP reason": neither).
    return {m.group(2): "skip" if m.group(3) else
            "pass" if m.group(1) == "ok" else "fail"
            for m in re.finditer(r"^(ok|not ok) \d+ (\S+)(\s*#\s*SKIP)?", text, re.M)}


def main(logs):
    rows = []
    with open(os.path.join(logs, "results.tsv"), encoding="utf-8") as f:
        for line in f:
            name, status, detail = (line.rstrip("\n").split("\t") + ["", ""])[:3]
            rows.append((name, status == "ok", detail))
    series = results(os.path.join(logs, "series.log")) or {}
    for name in STALE + [WRAP, DETACH]:
        rows.append(("with the series: " + name, series.get(name) == "pass", ""))
    fault = [n for n in series if n.startswith("fault.")]
    rows.append(("with the series: iommufd_fault ran 5 tests and no other",
                 len(fault) == 5, "%d results" % len(fault)))
    # Upstream's iommufd_fail_nth (7 tests, each walking every allocation
    # of its ioctls), built by test-6.12.sh against this kernel's uapi.
    nth = {n: ok for n, ok in series.items() if n.startswith("basic_fail_nth.")}
    rows.append(("with the series: iommufd_fail_nth ran its 7 tests",
                 len(nth) == 7, "%d results" % len(nth)))
    # Each walked something: test-6.12.sh makes the test say how much.
    walked = {}
    try:
        for m in re.finditer(r"^# (\w+): (\d+) allocations walked$",
                             open(os.path.join(logs, "series.log"), encoding="utf-8",
                                  errors="replace").read(), re.M):
            walked["basic_fail_nth." + m.group(1)] = int(m.group(2))
    except FileNotFoundError:
        pass
    for name in sorted(nth):
        rows.append(("with the series: iommufd_fail_nth " + name,
                     nth[name] == "pass" and walked.get(name, 0) > 0,
                     "%d allocations walked" % walked.get(name, 0)))
    text = None
    try:
        text = open(os.path.join(logs, "series-console.log"), encoding="utf-8",
                    errors="replace").read()
    except FileNotFoundError:
        pass
    bad = [] if text is None else [l for l in text.splitlines()
                                   if verdict.BAD_CONSOLE.search(l)]
    rows.append(("console of the series' boot: BUG/WARNING/KASAN/lockdep/leaks",
                 text is not None and not bad, "; ".join(bad[:3])))
    unpatched = results(os.path.join(logs, "unpatched.log")) or {}
    for name in STALE:
        rows.append(("without the series, fails: " + name,
                     unpatched.get(name) == "fail", ""))
    rows.append(("without the series, passes: " + DETACH,
                 unpatched.get(DETACH) == "pass", ""))
    passed = sum(1 for _, ok, _ in rows if ok)
    failed = len(rows) - passed
    for name, ok, detail in rows:
        print("%-4s %s %s" % ("ok" if ok else "FAIL", name, detail))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build/logs/6.12"))
