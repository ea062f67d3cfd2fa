#!/usr/bin/env python3
"""Lays out the documentation that cmake --install and the .deb put in
share/doc/pipe-tidy, with every relative link rewritten for that layout.

  stage-docs.py SOURCE_ROOT OUTPUT_DIR

The installed tree differs from the source tree: docs/ is its top (the
tools look for share/doc/pipe-tidy/checks/<check>.md), README.md and LICENSE
sit beside it, and examples/ (with the CI jobs of examples/ci/) below it:

  source               installed (share/doc/pipe-tidy/)
  docs/X               X
  README.md            README.md
  LICENSE              LICENSE
  examples/X           examples/X
  docs/man/            (not installed: the man pages are, as man pages)

A link in a Markdown file that points to one of these files is rewritten
to point to it in the installed tree. A link to a source file that is not
installed (bench/, test/, tools/, .pre-commit-hooks.yaml) becomes plain
text that names the file in the source tree, so no installed link is
dead. A relative link that resolves to nothing in the source tree is an
error: the build stops and names the file, line and link.

OUTPUT_DIR is emptied first, so a file removed from the sources is not
installed any more.
"""

import os
import re
import shutil
import sys
import urllib.parse

# (source path, installed path); a trailing '/' stands for a whole tree.
LAYOUT = [
    ("docs/", ""),
    ("README.md", "README.md"),
    ("LICENSE", "LICENSE"),
    ("examples/", "examples/"),
]
# Not installed as documentation: the man pages' sources (the pages are
# installed as man pages, for the programs this build has).
EXCLUDE = ["docs/man/"]

INLINE = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]"
    r"\((?P<space>\s*)(?P<target><[^>]*>|[^\s)]+)(?P<title>(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*)\)")
REFERENCE = re.compile(r"^(?P<lead> {0,3}\[[^\]]+\]:\s*)(?P<target><[^>]*>|\S+)")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class DeadLink(Exception):
    pass


def installed_path(source_rel):
    """The path under the installed tree of a source file, or None."""
    if any(source_rel == e.rstrip("/") or source_rel.startswith(e) for e in EXCLUDE):
        return None
    for src, dst in LAYOUT:
        if src.endswith("/"):
            if source_rel == src.rstrip("/"):
                return dst.rstrip("/") or "."
            if source_rel.startswith(src):
                return dst + source_rel[len(src):]
        elif source_rel == src:
            return dst
    return None


def source_files(root):
    """(source path, installed path) of every file to install."""
    for src, _ in LAYOUT:
        path = os.path.join(root, src)
        if src.endswith("/"):
            for directory, subdirs, names in os.walk(path):
                subdirs.sort()
                for name in sorted(names):
                    rel = os.path.relpath(os.path.join(directory, name), root)
                    if installed_path(rel) is not None:
                        yield rel, installed_path(rel)
        else:
            yield src, installed_path(src)


def rewrite_target(root, source_rel, target):
    """The link target for the installed copy of source_rel, or None when the
    target is not installed (the caller turns the link into text)."""
    bare = target[1:-1] if target.startswith("<") and target.endswith(">") else target
    if not bare or SCHEME.match(bare) or bare.startswith("#"):
        return target
    m = re.match(r"([^#?]*)(.*)", bare)
    file_part, rest = m.group(1), m.group(2)
    resolved = os.path.normpath(
        os.path.join(os.path.dirname(source_rel), urllib.parse.unquote(file_part)))
    if resolved.startswith("..") or not os.path.exists(os.path.join(root, resolved)):
        raise DeadLink(bare)
    dest = installed_path(resolved)
    if dest is None:
        return None
    here = os.path.dirname(installed_path(source_rel)) or "."
    new = os.path.relpath(dest, here)
    if file_part.endswith("/") and not new.endswith("/"):
        new += "/"
    if new == "." and rest:
        new = ""
    return urllib.parse.quote(new) + rest


def not_installed_text(text, source_rel, target):
    """The plain text that replaces a link to a file that is not installed."""
    file_part = re.split(r"[#?]", target, 1)[0]
    resolved = os.path.normpath(os.path.join(os.path.dirname(source_rel), file_part))
    if resolved.rstrip("/") in text.replace("\\", ""):
        return text
    return "%s (`%s` in the pipe-tidy source tree)" % (text, resolved)


def rewrite_markdown(root, source_rel, content):
    out, fence = [], None
    for number, line in enumerate(content.splitlines(keepends=True), 1):
        m = FENCE.match(line)
        if m:
            if fence is None:
                fence = m.group(1)[0] * len(m.group(1))
            elif m.group(1).startswith(fence):
                fence = None
            out.append(line)
            continue
        if fence is not None:
            out.append(line)
            continue
        # Links inside code spans are code, not links: leave them be.
        spans = [s.span() for s in CODE_SPAN.finditer(line)]

        def in_code(pos):
            return any(a <= pos < b for a, b in spans)

        def inline(m):
            if in_code(m.start()):
                return m.group(0)
            try:
                new = rewrite_target(root, source_rel, m.group("target"))
            except DeadLink as e:
                raise DeadLink("%s:%d: dead link %s" % (source_rel, number, e))
            if new is None:
                if m.group("bang"):
                    raise DeadLink("%s:%d: image %s is not installed"
                                   % (source_rel, number, m.group("target")))
                return not_installed_text(m.group("text"), source_rel, m.group("target"))
            return "%s[%s](%s%s%s)" % (m.group("bang"), m.group("text"), m.group("space"),
                                       new, m.group("title"))

        r = REFERENCE.match(line)
        if r and not in_code(r.start()):
            try:
                new = rewrite_target(root, source_rel, r.group("target"))
            except DeadLink as e:
                raise DeadLink("%s:%d: dead link %s" % (source_rel, number, e))
            if new is None:
                raise DeadLink("%s:%d: reference link to %s, which is not installed"
                               % (source_rel, number, r.group("target")))
            line = r.group("lead") + new + line[r.end():]
        out.append(INLINE.sub(inline, line))
    return "".join(out)


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: stage-docs.py SOURCE_ROOT OUTPUT_DIR\n")
        return 2
    root, out = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    if os.path.isdir(out):
        shutil.rmtree(out)
    errors = []
    for src, dst in source_files(root):
        target = os.path.join(out, dst)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if src.endswith(".md"):
            with open(os.path.join(root, src), encoding="utf-8") as f:
                content = f.read()
            try:
                content = rewrite_markdown(root, src, content)
            except DeadLink as e:
                errors.append(str(e))
                continue
            with open(target, "w", encoding="utf-8") as f:
                f.write(content)
        else:
            shutil.copyfile(os.path.join(root, src), target)
    for e in errors:
        sys.stderr.write("stage-docs.py: error: %s\n" % e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
