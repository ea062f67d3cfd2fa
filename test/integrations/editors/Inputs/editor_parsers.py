#!/usr/bin/env python3
"""Parses clang-tidy output the way an editor plugin does, and prints what
the editor would show, one diagnostic a line, for FileCheck.

  editor_parsers.py ale      [--buffer FILE] < clang-tidy-stdout
  editor_parsers.py nvim-lint --buffer FILE --cwd DIR [--pattern stock|full] < stdout
  editor_parsers.py flycheck  < stdout

Each parser is the plugin's own pattern, translated to Python's re with the
same meaning (the source each comes from is named below). A change to the
form of our diagnostics that the plugin can no longer parse changes what
this prints, and the editor tests that FileCheck it fail.
"""

import argparse
import os
import re
import sys

# dense-analysis/ale, autoload/ale/handlers/gcc.vim (v3.3.0, Debian vim-ale):
#   let s:pattern = '\v^([a-zA-Z]?:?[^:]+):(\d+)?:?(\d+)?:? ([^:]+): (.+)$'
# used by ale_linters/{c,cpp}/clangtidy.vim through HandleGCCFormat: a
# 'note' becomes detail of the item before it; 'error' and 'fatal error'
# are type E, anything else W; a file name that is not '-' or '<...>' is
# kept as the item's filename.
ALE_PATTERN = re.compile(r"^([a-zA-Z]?:?[^:]+):(\d+)?:?(\d+)?:? ([^:]+): (.+)$")


def ale(lines, buffer):
    items = []
    for line in lines:
        m = ALE_PATTERN.match(line)
        if not m:
            continue
        fname, lnum, col, kind, text = m.groups()
        if kind == "note":
            if items:
                items[-1]["detail"].append(line)
            continue
        items.append({
            "filename": fname if fname != "-" and not fname.startswith("<") else buffer,
            "lnum": int(lnum or 0),
            "col": int(col or 0),
            "type": "E" if kind in ("error", "fatal error") else "W",
            "text": text,
            "detail": [],
        })
    for it in items:
        where = it["filename"]
        if buffer and os.path.abspath(where) == os.path.abspath(buffer):
            where = "<buffer>"
        print("ALE %s %s:%d:%d %s" % (it["type"], where, it["lnum"], it["col"], it["text"]))
        for d in it["detail"]:
            print("ALE-DETAIL " + d)


# mfussenegger/nvim-lint, lua/lint/linters/clangtidy.lua:
#   local pattern = [[([^:]*):(%d+):(%d+): (%w+): ([^[]+)]]
#   groups { 'file', 'lnum', 'col', 'severity', 'message' }
# through lua/lint/parser.lua from_pattern(): string.match (unanchored, the
# first match in the line), a 'file' that is not the buffer's path (made
# absolute against the linter's cwd) drops the line, lnum and col become
# 0-based. %w is [A-Za-z0-9]; [^[] is any character but '['.
NVIM_LINT_PATTERNS = {
    "stock": (re.compile(r"([^:]*):(\d+):(\d+): ([A-Za-z0-9]+): ([^\[]+)"),
              ("file", "lnum", "col", "severity", "message")),
    # docs/editors.md's replacement, Lua:
    #   [[([^:]*):(%d+):(%d+): (%w+): (.-) %[([%w%-,.]+)%]$]]
    "full": (re.compile(r"([^:]*):(\d+):(\d+): ([A-Za-z0-9]+): (.*?) \[([A-Za-z0-9\-,.]+)\]$"),
             ("file", "lnum", "col", "severity", "message", "code")),
}
NVIM_SEVERITY = {"error": "ERROR", "warning": "WARN", "information": "INFO",
                 "hint": "HINT", "note": "HINT"}


def nvim_lint(lines, buffer, cwd, which):
    pattern, groups = NVIM_LINT_PATTERNS[which]
    buffer = os.path.abspath(buffer)
    for line in lines:
        m = pattern.search(line)
        if not m:
            continue
        c = dict(zip(groups, m.groups()))
        path = c["file"] if c["file"].startswith("/") else os.path.normpath(os.path.join(cwd, c["file"]))
        if path != buffer:
            print("NVIM-LINT dropped (file %s is not the buffer)" % c["file"])
            continue
        print("NVIM-LINT %s lnum=%d col=%d code=%s message=%s"
              % (NVIM_SEVERITY.get(c["severity"], "ERROR"), int(c["lnum"]) - 1,
                 int(c["col"]) - 1, c.get("code", "-"), c["message"]))


# ch1bo/flycheck-clang-tidy, flycheck-clang-tidy.el, :error-patterns
#   (error line-start (file-name) ":" line ":" column ": error: " (message) line-end)
#   (warning ... ": warning: " ...) (info ... ": note: " ...)
# with flycheck.el's defaults: (file-name) is a minimal match of one or more
# characters, (message) one or more.
FLYCHECK_PATTERNS = [
    ("error", re.compile(r"^(.+?):(\d+):(\d+): error: (.+)$")),
    ("warning", re.compile(r"^(.+?):(\d+):(\d+): warning: (.+)$")),
    ("info", re.compile(r"^(.+?):(\d+):(\d+): note: (.+)$")),
]


def flycheck(lines):
    for line in lines:
        for level, pattern in FLYCHECK_PATTERNS:
            m = pattern.match(line)
            if m:
                f, l, c, msg = m.groups()
                print("FLYCHECK %s %s:%s:%s %s" % (level, os.path.basename(f), l, c, msg))
                break


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("plugin", choices=("ale", "nvim-lint", "flycheck"))
    ap.add_argument("--buffer")
    ap.add_argument("--cwd", default=os.getcwd())
    ap.add_argument("--pattern", default="stock", choices=sorted(NVIM_LINT_PATTERNS))
    args = ap.parse_args()
    lines = sys.stdin.read().splitlines()
    if args.plugin == "ale":
        ale(lines, args.buffer)
    elif args.plugin == "nvim-lint":
        nvim_lint(lines, args.buffer, args.cwd, args.pattern)
    else:
        flycheck(lines)


if __name__ == "__main__":
    main()
