#!/usr/bin/env python3
"""Checks that a man page documents every option a program's help lists.

  options_in_man.py HELP_TEXT MAN_TEXT

HELP_TEXT is what the program prints for its help; its options are the
lines that start, after indentation, with '-' (argparse's and the
wrapper's "  -o, --output FILE   ..." lines). MAN_TEXT is the page as man
renders it. Prints each option the page lacks and exits 1 when one is
missing, or when the help lists no option at all (nothing was compared).
"""

import re
import sys


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: options_in_man.py HELP_TEXT MAN_TEXT\n")
        return 2
    with open(argv[1], encoding="utf-8") as f:
        help_text = f.read()
    with open(argv[2], encoding="utf-8") as f:
        # man may render hyphens as U+2010 and minus signs as U+2212.
        man_text = f.read().replace("\u2010", "-").replace("\u2212", "-")
    options = []
    for line in help_text.splitlines():
        m = re.match(r"^\s+(-[-\w]+(?:,\s*--[-\w]+)?)", line)
        if m:
            options += [o.strip() for o in m.group(1).split(",")]
    if not options:
        sys.stderr.write("options_in_man.py: no option found in %s\n" % argv[1])
        return 1
    missing = [o for o in options
               if not re.search(r"(?<![-\w])%s(?![-\w])" % re.escape(o), man_text)]
    for o in missing:
        print("not in the man page: %s" % o)
    print("%d options, %d missing" % (len(options), len(missing)))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
