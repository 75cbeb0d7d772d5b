#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the logs of make bench into a table and a plot.

Reads DIR/round<r>-<side>.log (side: vfio = this series, iommufd = 7.2's
fault queue), each made of lines
  bench side=<side> metric=<m> B=<b> P=<p> value=<v> unit=<u>
and prints, for each figure, the median of each side over the rounds and
the speed ratio ours/iommufd of each round (>1: ours faster), as
min/median/max: only ratios taken within one round, from boots made one
after the other, mean anything on a noisy machine. Writes DIR/results.md
and, when gnuplot is there, DIR/bench.png.

Then the one-kernel A/B of the fault ring RFC: DIR/round<r>-ab.log, the
lines of one 7.2 boot that ran the same client on read()/write() (side
iommufd) and on the ring (side ring) in pairs, each line prefixed with
"pair=<n> "; the speed ratio ring over read()/write() of every pair, and
the issue's goals next to them (numbers, not pass/fail).
"""
import glob
import os
import re
import shutil
import statistics
import subprocess
import sys

LINE = re.compile(r"^bench side=(\w+) metric=(\w+) B=(\d+) P=(\d+) "
                  r"value=([0-9.eE+-]+) unit=(\S+)")
HOW = re.compile(r'^bench side=(\w+) inject="([^"]*)" fetch="([^"]*)" answer="([^"]*)"')
NAMES = {
    "inject": "injection alone, per request",
    "user": "userspace side: fetch B + answer B",
    "trip": "whole trip: inject B + fetch + answer",
    "lat_p50": "one request, inject to answered: p50",
    "lat_p99": "one request, inject to answered: p99",
    "lookup": "round trip of one more request with P pending",
    "disarm": "disarm (detach) with P pending",
    "inject_text": "ours: injection as text lines, per request",
    "inject_parse_only": "ours: a write the injector refuses at parsing",
    "inject_not_armed": "ours: a one-line write to a device not armed",
}
ORDER = ["user", "trip", "inject", "lat_p50", "lat_p99", "lookup", "disarm"]
OPEN_NAMES = {
    "open_close": "open + close the device fd (group set up)",
    "reset": "VFIO_DEVICE_RESET",
    "full_cycle": "container + group + device fd + reset, all closed",
}


def open_table(d):
    """The series against its base for a device that never arms the ring:
    DIR/round<r>-open_<base|series>.log, times per iteration."""
    data = {}   # (round, side) -> {metric: us}
    for path in glob.glob(os.path.join(d, "round*-open_*.log")):
        m = re.search(r"round(\d+)-open_(base|series)\.log$", path)
        if not m:
            continue
        figs = data.setdefault((int(m.group(1)), m.group(2)), {})
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                x = LINE.match(line.strip())
                if x:
                    figs[x.group(2)] = float(x.group(5))
    rounds = sorted({r for r, _ in data})
    if not rounds:
        return []
    out = ["", "A device that never arms the fault ring: this series against "
           "its base, same config.", "",
           "| figure | base (median) | series (median) | time series/base: "
           "min / median / max |", "| --- | --- | --- | --- |"]
    for k in OPEN_NAMES:
        base = [data[(r, "base")][k] for r in rounds if k in data.get((r, "base"), {})]
        ser = [data[(r, "series")][k] for r in rounds if k in data.get((r, "series"), {})]
        ratios = [data[(r, "series")][k] / data[(r, "base")][k] for r in rounds
                  if k in data.get((r, "series"), {}) and k in data.get((r, "base"), {})
                  and data[(r, "base")][k] > 0]
        fmt = lambda v: "%.4g us" % statistics.median(v) if v else "-"
        rat = ("%.2f / %.2f / %.2f" % (min(ratios), statistics.median(ratios),
                                      max(ratios))) if ratios else "-"
        out.append("| %s | %s | %s | %s |" % (OPEN_NAMES[k], fmt(base), fmt(ser), rat))
    out.append("")
    out.append("%d round(s); per-round ratio of the medians of each loop "
               "(1.00: the same; > 1: the series slower)." % len(rounds))
    return out


# The fault ring RFC's goals: (metric, B, P) -> (least speed ratio ring
# over read()/write(), what the issue asks).
AB_GOALS = {
    ("user", 1, 0): (2.0, ">= 2x"),
    ("user", 32, 0): (3.0, ">= 3x"),
    ("trip", 1, 0): (1.5, ">= 1.5x"),
    ("trip", 32, 0): (1.5, ">= 1.5x"),
    ("trip", 512, 0): (1.5, ">= 1.5x"),
    ("lat_p99", 1, 0): (3.0, "ring <= 1/3 of read()/write()"),
}


def ab_table(d):
    """The ring against read()/write() on one 7.2 kernel, pair by pair."""
    pairs = {}  # (round, pair, side) -> {(metric, B, P): (value, unit)}
    for path in sorted(glob.glob(os.path.join(d, "round*-ab.log"))):
        r = int(re.search(r"round(\d+)-ab\.log$", path).group(1))
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = re.match(r"^pair=(\d+) (.*)$", line.strip())
                x = m and LINE.match(m.group(2))
                if x:
                    pairs.setdefault((r, int(m.group(1)), x.group(1)), {})[
                        (x.group(2), int(x.group(3)), int(x.group(4)))] = (
                            float(x.group(5)), x.group(6))
    ids = sorted({(r, p) for r, p, _ in pairs})
    if not ids:
        return []
    both = [i for i in ids if i + ("iommufd",) in pairs and i + ("ring",) in pairs]
    keys = sorted({k for figs in pairs.values() for k in figs},
                  key=lambda k: (ORDER.index(k[0]) if k[0] in ORDER else 99,
                                 k[1], k[2]))
    out = ["", "### The fault ring RFC against read()/write(), one 7.2 kernel", "",
           "| figure | B | P | read()/write() (median) | ring (median) | "
           "speed ring/read(): min / median / max | goal |",
           "| --- | --- | --- | --- | --- | --- | --- |"]
    med = {}
    for k in keys:
        rw = [pairs[i + ("iommufd",)][k][0] for i in both if k in pairs[i + ("iommufd",)]]
        rg = [pairs[i + ("ring",)][k][0] for i in both if k in pairs[i + ("ring",)]]
        if not rw or not rg:
            continue
        unit = pairs[both[0] + ("ring",)][k][1]
        ratios = []
        for i in both:
            a = pairs[i + ("ring",)].get(k)
            b = pairs[i + ("iommufd",)].get(k)
            if a and b and a[0] > 0 and b[0] > 0:
                ratios.append(a[0] / b[0] if unit.endswith("/s") else b[0] / a[0])
        med[k] = (statistics.median(rw), statistics.median(rg))
        goal = ""
        if k in AB_GOALS:
            least, text = AB_GOALS[k]
            goal = "%s: %s" % (text, "met" if statistics.median(ratios) >= least
                               else "MISSED")
        out.append("| %s | %s | %s | %.4g %s | %.4g %s | %.2f / %.2f / %.2f | %s |" % (
            NAMES.get(k[0], k[0]), k[1] if k[0] not in ("lookup", "disarm") else "-",
            k[2] or "-", med[k][0], unit, med[k][1], unit, min(ratios),
            statistics.median(ratios), max(ratios), goal))
    # Round trip with 4000 pending against 16, the ring's own, pair by pair.
    scal = []
    for i in both:
        g = pairs[i + ("ring",)]
        if ("lookup", 1, 4000) in g and ("lookup", 1, 16) in g:
            scal.append(g[("lookup", 1, 4000)][0] / g[("lookup", 1, 16)][0])
    if scal:
        out.append("| ring: round trip with 4000 pending / with 16 | - | - | - | "
                   "%.2f (median) | %.2f / %.2f / %.2f (times, not speed) | "
                   "<= 1.2: %s |" % (statistics.median(scal), min(scal),
                                     statistics.median(scal), max(scal),
                                     "met" if statistics.median(scal) <= 1.2
                                     else "MISSED"))
    out.append("")
    out.append("%d pair(s) in %d boot(s) of one 7.2 kernel (the cookie series "
               "and the ring RFC), the same client and mock device, "
               "read()/write() and ring in alternating order. Speed ratio > 1: "
               "the ring faster (rates: ring/read(); times: read()/ring). A goal "
               "is judged on the median of the pairs." % (
                   len(both), len({r for r, _ in both})))
    if len(both) != len(ids):
        out.append("INCOMPLETE: a pair lacks one side (see the logs).")
    return out


def main(d):
    data = {}   # (round, side) -> {(metric, B, P): (value, unit)}
    how = {}
    for path in sorted(glob.glob(os.path.join(d, "round*-*.log"))):
        m = re.search(r"round(\d+)-(vfio|iommufd)\.log$", path)
        if not m:
            continue
        r, side = int(m.group(1)), m.group(2)
        figs = data.setdefault((r, side), {})
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.strip()
                x = LINE.match(line)
                if x:
                    figs[(x.group(2), int(x.group(3)), int(x.group(4)))] = (
                        float(x.group(5)), x.group(6))
                    continue
                x = HOW.match(line)
                if x:
                    how[x.group(1)] = x.group(2, 3, 4)
    rounds = sorted({r for r, _ in data})
    if not rounds:
        sys.exit("bench.py: no results in %s" % d)
    keys = sorted({k for figs in data.values() for k in figs},
                  key=lambda k: (ORDER.index(k[0]) if k[0] in ORDER else 99,
                                 k[1], k[2]))
    out = []
    out.append("| figure | B | P | ours (median) | iommufd (median) | "
               "speed ours/iommufd: min / median / max |")
    out.append("| --- | --- | --- | --- | --- | --- |")
    medians = {}
    complete = True
    for k in keys:
        ours = [data[(r, "vfio")][k][0] for r in rounds
                if k in data.get((r, "vfio"), {})]
        theirs = [data[(r, "iommufd")][k][0] for r in rounds
                  if k in data.get((r, "iommufd"), {})]
        unit = next(figs[k][1] for figs in data.values() if k in figs)
        ratios = []
        for r in rounds:
            a = data.get((r, "vfio"), {}).get(k)
            b = data.get((r, "iommufd"), {}).get(k)
            if a and b and a[0] > 0 and b[0] > 0:
                # Rates: more is faster; times: less is faster.
                ratios.append(a[0] / b[0] if unit.endswith("/s") else b[0] / a[0])
        # A side either gives a figure in every round or never (the
        # injection breakdown is ours alone).
        if len(ours) not in (0, len(rounds)) or len(theirs) not in (0, len(rounds)):
            complete = False
        mo = statistics.median(ours) if ours else None
        mt = statistics.median(theirs) if theirs else None
        medians[k] = (mo, mt)
        fmt = lambda v: "-" if v is None else "%.4g %s" % (v, unit)
        rat = ("%.2f / %.2f / %.2f" % (min(ratios), statistics.median(ratios),
                                      max(ratios))) if ratios else "-"
        out.append("| %s | %s | %s | %s | %s | %s |" % (
            NAMES.get(k[0], k[0]), k[1] if k[0] not in ("lookup", "disarm") else "-",
            k[2] or "-", fmt(mo), fmt(mt), rat))
    out.append("")
    out.append("%d round(s), each side booted once per round, alternating. "
               "Speed ratio > 1: ours faster (rates: ours/iommufd; "
               "times: iommufd/ours)." % len(rounds))
    for side, name in (("vfio", "ours"), ("iommufd", "iommufd")):
        if side in how:
            out.append("%s: injection = %s; fetch = %s; answer = %s." %
                       ((name,) + how[side]))
    # Timed by the clock each kernel ended up with: say which, and say it
    # loudly if the two sides differ (then their times do not compare).
    clocks = {}
    for r, side in data:
        con = os.path.join(d, "round%d-%s-console.log" % (r, side))
        try:
            with open(con, encoding="utf-8", errors="replace") as f:
                found = re.findall(r"Switched to clocksource (\S+)", f.read())
        except OSError:
            found = []
        clocks.setdefault(side, set()).add(found[-1] if found else "?")
    if clocks:
        out.append("clocksource: " + ", ".join(
            "%s %s" % ({"vfio": "ours"}.get(side, side), "/".join(sorted(c)))
            for side, c in sorted(clocks.items(), reverse=True)) + ".")
        if len(set().union(*clocks.values())) > 1:
            out.append("CLOCKS DIFFER: the two sides' times do not compare.")
    if not complete:
        out.append("INCOMPLETE: a boot gave no figure for some line (see the logs).")
    out += open_table(d)
    out += ab_table(d)
    text = "\n".join(out)
    print(text)
    with open(os.path.join(d, "results.md"), "w", encoding="utf-8") as f:
        f.write(text + "\n")
    plot(d, medians)


def plot(d, medians):
    if not shutil.which("gnuplot"):
        print("(no gnuplot: no plot)")
        return
    with open(os.path.join(d, "rate.dat"), "w") as f:
        f.write("# B ours_user iommufd_user ours_trip iommufd_trip\n")
        for b in (1, 32, 512):
            u = medians.get(("user", b, 0), (None, None))
            t = medians.get(("trip", b, 0), (None, None))
            f.write("%d %s %s %s %s\n" % ((b,) + tuple(
                "NaN" if v is None else "%g" % v for v in u + t)))
    with open(os.path.join(d, "lookup.dat"), "w") as f:
        f.write("# P ours iommufd\n")
        for (m, b, p), (o, t) in sorted(medians.items(), key=lambda x: x[0][2]):
            if m == "lookup":
                f.write("%d %s %s\n" % (p, "NaN" if o is None else o,
                                        "NaN" if t is None else t))
    script = """
set terminal pngcairo size 1200,500 font ",10"
set output '%(d)s/bench.png'
set multiplot layout 1,2 title 'Page request round trip, QEMU TCG x86\\_64, medians of the rounds'
set logscale x 2
set logscale y
set xlabel "batch size B"
set ylabel "requests/s"
set key top left
set grid
plot '%(d)s/rate.dat' u 1:2 w lp lw 2 t "ours: fetch+answer", \\
     '' u 1:3 w lp lw 2 t "iommufd: fetch+answer", \\
     '' u 1:4 w lp lw 2 dt 2 t "ours: inject+fetch+answer", \\
     '' u 1:5 w lp lw 2 dt 2 t "iommufd: inject+fetch+answer"
set xlabel "requests pending P"
set ylabel "us per round trip of one more request"
unset logscale y
set yrange [0:*]
plot '%(d)s/lookup.dat' u 1:2 w lp lw 2 t "ours", '' u 1:3 w lp lw 2 t "iommufd"
unset multiplot
""" % {"d": d}
    p = subprocess.run(["gnuplot"], input=script, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode == 0:
        print("plot: %s/bench.png" % d)
    else:
        print("gnuplot failed:\n" + p.stdout)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build/bench")
