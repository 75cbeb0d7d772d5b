#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Ask a running QEMU, through its monitor socket, where the guest's CPUs
are: "info registers -a" and, on x86, "info lapic N" for each CPU. Used by
boot.sh just before a test boot's timeout, so that a guest that stopped
says how (a task stuck in the kernel, or CPUs halted with no interrupt
coming). Prints what the monitor answered, escape sequences removed.

Usage: qemu-state.py SOCKET
       qemu-state.py --summary FILE   one line per CPU from such a dump
       qemu-state.py --frozen FILE    exit 0 if the dump shows a CPU halted
                                      with a vector in service (see below)"""
import re
import socket
import sys
import time

ESC = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def main(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.settimeout(1)

    def drain():
        out = b""
        try:
            while True:
                data = s.recv(65536)
                if not data:
                    break
                out += data
        except socket.timeout:
            pass
        return ESC.sub("", out.decode(errors="replace"))

    def ask(cmd):
        # Until the next prompt: a busy TCG guest can slow the monitor.
        s.sendall((cmd + "\n").encode())
        out, end = b"", time.time() + 10
        while time.time() < end and not out.rstrip().endswith(b"(qemu)"):
            try:
                data = s.recv(65536)
            except socket.timeout:
                continue
            if not data:
                break
            out += data
        text = ESC.sub("", out.decode(errors="replace"))
        # The monitor echoes the command a character at a time: drop that.
        lines = [l for l in text.splitlines() if not l.startswith("(qemu)")]
        return "\n".join(l for l in lines if cmd not in l).strip()

    drain()
    cpus = ask("info cpus")
    print("== info cpus\n" + cpus)
    print("== info registers -a\n" + ask("info registers -a"))
    for n in range(len(re.findall(r"CPU #\d+", cpus))):
        lapic = ask("info lapic %d" % n)
        if "unknown command" in lapic or not lapic:
            break
        print("== info lapic %d\n%s" % (n, lapic))


def summary(path):
    """One line per CPU, returned: where it is and, on x86, its local APIC's
    ISR, IRR and PPR (a vector stuck in service blocks everything at or
    below it)."""
    lines = []
    text = open(path, encoding="utf-8", errors="replace").read()
    regs = re.split(r"^CPU#(\d+)\s*$", text.split("== info lapic")[0], flags=re.M)
    where = {}
    for n, body in zip(regs[1::2], regs[2::2]):
        m = re.search(r"(RIP|PC)=\s*(\S+)", body)
        flags = " ".join(re.findall(r"\b(?:HLT|RFL|PSTATE)=\S+", body))
        where.setdefault(n, "%s=%s %s" % (m.group(1), m.group(2), flags) if m else "?")
    for n in sorted(where, key=int):
        line = "CPU#%s %s" % (n, where[n])
        m = re.search(r"^== info lapic %s\n(.*?)(?=^== |\Z)" % n, text, re.M | re.S)
        if m:
            isr = re.search(r"^ISR\s+(.*)$", m.group(1), re.M)
            irr = re.search(r"^IRR\s+(.*)$", m.group(1), re.M)
            ppr = re.search(r"PPR (\S+)", m.group(1))
            line += "; lapic ISR %s IRR %s PPR %s" % (
                isr.group(1).strip() if isr else "?",
                irr.group(1).strip() if irr else "?",
                ppr.group(1) if ppr else "?")
        lines.append(line)
    return lines


def frozen(path):
    """A CPU halted (HLT=1) while its local APIC has a vector in service.
    Linux never halts inside an interrupt handler, and every handler EOIs:
    such a CPU lost an EOI, and nothing at or below that vector's priority
    class, its timer included, reaches it again. Seen under QEMU 7.2 TCG
    (README, "Open: a CI run that timed out")."""
    found = False
    try:
        lines = summary(path)
    except OSError:
        return False
    for line in lines:
        m = re.search(r"HLT=1;.* ISR (.*?) IRR", line)
        if m and m.group(1) not in ("(none)", "?"):
            print(line)
            found = True
    return found


if __name__ == "__main__":
    if sys.argv[1] == "--summary":
        print("\n".join(summary(sys.argv[2])))
        sys.exit(0)
    if sys.argv[1] == "--frozen":
        sys.exit(0 if frozen(sys.argv[2]) else 1)
    try:
        main(sys.argv[1])
    except OSError as e:
        print("qemu-state: %s: %s" % (sys.argv[1], e))
