#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the description of a cover letter made by git format-patch.

The output is the subject (without its "[PATCH 0/N]" prefix) followed by
a blank line and the body up to the generated shortlog, the form git
wants in branch.<name>.description for --cover-from-description=subject.
"""
import re
import sys


def main(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    subject = []
    in_subject = False
    while i < len(lines) and lines[i] != "":
        line = lines[i]
        if line.startswith("Subject: "):
            subject.append(line[len("Subject: "):])
            in_subject = True
        elif in_subject and line.startswith((" ", "\t")):
            subject.append(line.strip())
        else:
            in_subject = False
        i += 1
    subj = re.sub(r"^\[[^]]*\]\s*", "", " ".join(subject))
    body = []
    for line in lines[i + 1:]:
        if re.match(r"^\S.* \(\d+\):$", line):
            break
        body.append(line)
    while body and body[-1] == "":
        body.pop()
    sys.stdout.write(subj + "\n\n" + "\n".join(body) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
