#!/usr/bin/env python3
"""Checks that every relative link in the Markdown files under a directory
resolves to a file or directory under that same directory.

  check_doc_links.py DIR
  check_doc_links.py --file-uris FILE

Links are Markdown inline links and images, [text](target "title") and
![alt](target), and reference definitions, [label]: target, outside fenced
code blocks and code spans. A link with a scheme (https:, file:, mailto:)
or only a #fragment is not checked; of the others, the part before '#' or
'?' must name something that exists and stays inside DIR (a link that climbs
out of the installed tree is dead for a reader of that tree too).

With --file-uris, FILE is any text (a SARIF log, say): every file:// URI in
it must name an existing file; the exit status is 1 when one does not, or
when there is none.

Prints one line per dead link, FILE:LINE: dead link TARGET, and a summary
line "N links in M files, K dead"; the exit status is 1 when a link is dead
or when DIR holds no Markdown file at all, 2 on bad usage.
"""

import os
import re
import sys
import urllib.parse

INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def links(path):
    """Yields (line number, target) for each link of a Markdown file."""
    fence = None
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            m = FENCE.match(line)
            if m:
                if fence is None:
                    fence = m.group(1)[0] * len(m.group(1))
                elif m.group(1).startswith(fence):
                    fence = None
                continue
            if fence is not None:
                continue
            text = CODE_SPAN.sub(lambda s: " " * len(s.group(0)), line)
            m = REFERENCE.match(text)
            if m:
                yield number, m.group(1)
            for m in INLINE.finditer(text):
                yield number, m.group(1)


def check_file_uris(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    uris = sorted(set(u.rstrip(".,;:") for u in
                      re.findall(r"file://[^\s\"')<>\]]+", text)))
    dead = 0
    for uri in uris:
        local = urllib.parse.unquote(urllib.parse.urlparse(uri).path)
        if not os.path.exists(local):
            dead += 1
            print("dead file URI %s" % uri)
    print("%d file URIs, %d dead" % (len(uris), dead))
    return 1 if dead or not uris else 0


def main(argv):
    if len(argv) == 3 and argv[1] == "--file-uris":
        return check_file_uris(argv[2])
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        sys.stderr.write("usage: check_doc_links.py DIR (an existing directory)\n")
        return 2
    root = os.path.realpath(argv[1])
    files = checked = dead = 0
    for directory, subdirs, names in os.walk(root):
        subdirs.sort()
        for name in sorted(names):
            if not name.endswith(".md"):
                continue
            files += 1
            path = os.path.join(directory, name)
            for number, target in links(path):
                if target.startswith("<") and target.endswith(">"):
                    target = target[1:-1]
                if SCHEME.match(target) or target.startswith("#") or not target:
                    continue
                checked += 1
                file_part = urllib.parse.unquote(re.split(r"[#?]", target, 1)[0])
                if file_part.startswith("/"):
                    resolved = os.path.realpath(os.path.join(root, file_part.lstrip("/")))
                else:
                    resolved = os.path.realpath(os.path.join(directory, file_part))
                inside = resolved == root or resolved.startswith(root + os.sep)
                if not inside or not os.path.exists(resolved):
                    dead += 1
                    print("%s:%d: dead link %s" % (os.path.relpath(path, root), number, target))
    print("%d links in %d files, %d dead" % (checked, files, dead))
    if files == 0:
        sys.stderr.write("check_doc_links.py: no .md file under %s\n" % root)
        return 1
    return 1 if dead else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
