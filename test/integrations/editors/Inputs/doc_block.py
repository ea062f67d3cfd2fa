#!/usr/bin/env python3
"""Prints the fenced code block of a Markdown file that contains NEEDLE, so
that a test runs a recipe exactly as docs/editors.md gives it.

  doc_block.py FILE NEEDLE

Exit status 1, with a message, when no block or more than one contains it.
"""

import sys


def blocks(text):
    block = None
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("```"):
            if block is None:
                block = []
            else:
                yield "".join(block)
                block = None
        elif block is not None:
            block.append(line)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: doc_block.py FILE NEEDLE")
    path, needle = sys.argv[1:]
    with open(path) as f:
        found = [b for b in blocks(f.read()) if needle in b]
    if len(found) != 1:
        sys.exit("doc_block.py: %d code blocks of %s contain %r, expected 1"
                 % (len(found), path, needle))
    sys.stdout.write(found[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
