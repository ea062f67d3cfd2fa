#!/usr/bin/env python3
"""Reads the DOM that a browser rendered from a page of pipe-tidy-html
(chromium --dump-dom) and prints what a reader sees there, one line each,
in document order, so that FileCheck can check it:

  finding page:   "file:LINE highlighted"        a line drawn as the warning's
                  "file:LINE step N KIND: text"  a bubble of the path
                  "file:LINE fix: text"          the fix-it's bubble
                  "file: lines A-B not shown"    lines left out of a long file
                  "file: lines A-B folded"       lines in a closed <details>
  index page:     "row #N file:LINE check -> HREF"  a row of the findings table
                  "sorted by KEY ascending|descending"
                  "check CHECK N -> HREF"        a row of the per-check table

LINE is the number of the source row that the bubble follows in the DOM
(not an attribute of the bubble itself), so a bubble the browser moved, or
that the report put under the wrong line, shows up at another line.

  html_dom.py DOM.html
  html_dom.py --resources PAGE.html...

With --resources, prints each element of the pages that makes a browser load
something (img, iframe, object, embed, audio, video, source, track, link, a
script with src, a url() or @import in a style), or "PAGE: self-contained".
"""

import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def text(self):
        out = []
        for c in self.children:
            out.append(c if isinstance(c, str) else c.text())
        return "".join(out)

    def walk(self):
        yield self
        for c in self.children:
            if not isinstance(c, str):
                yield from c.walk()


class Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def text_without(node, skip_classes):
    out = []
    for c in node.children:
        if isinstance(c, str):
            out.append(c)
        elif not set(c.classes()) & skip_classes:
            out.append(text_without(c, skip_classes))
    return "".join(out)


LOADS = {"img", "iframe", "frame", "object", "embed", "audio", "video", "source", "track",
         "link", "input"}


def resources(paths):
    for path in paths:
        with open(path, encoding="utf-8") as f:
            b = Builder()
            b.feed(f.read())
        found = []
        for n in b.root.walk():
            if n.tag in LOADS or (n.tag == "script" and "src" in n.attrs):
                found.append("<%s %s>" % (n.tag, n.attrs))
            styles = [n.attrs.get("style") or ""]
            if n.tag == "style":
                styles.append(n.text())
            for st in styles:
                if "url(" in st or "@import" in st:
                    found.append("style of <%s>: %s" % (n.tag, st.strip()[:80]))
        for f in found:
            print("%s: loads %s" % (path, f))
        if not found:
            print("%s: self-contained" % path)
    return 0


def main(path):
    with open(path, encoding="utf-8") as f:
        b = Builder()
        b.feed(f.read())
    for node in b.root.walk():
        if node.tag == "p" and "gap" in node.classes():
            print("%s: %s" % (node.attrs.get("data-file"), " ".join(node.text().split())))
        elif node.tag == "details" and "fold" in node.classes():
            summary = [c for c in node.children if not isinstance(c, str) and c.tag == "summary"]
            print("%s: %s folded%s" % (node.attrs.get("data-file"),
                                       " ".join(summary[0].text().split()) if summary else "?",
                                       " (open)" if "open" in node.attrs else ""))
        elif node.tag == "table" and "src" in node.classes():
            name = node.attrs.get("data-file", "?")
            line = None
            for tr in node.walk():
                if tr.tag != "tr":
                    continue
                if tr.attrs.get("id", "").startswith("L"):
                    line = tr.attrs["id"][1:]
                    if "hit" in tr.classes():
                        print("%s:%s highlighted" % (name, line))
                for div in tr.walk():
                    if div.tag == "div" and "bubble" in div.classes():
                        msg = " ".join(text_without(div, {"bubble-num", "nav"}).split())
                        if "fix" in div.classes():
                            print("%s:%s fix: %s" % (name, line, msg))
                        else:
                            kind = "warning" if "warning" in div.classes() else "note"
                            print("%s:%s step %s %s: %s"
                                  % (name, line, div.attrs.get("data-step"), kind, msg))
        elif node.tag == "table" and node.attrs.get("id") == "findings":
            for th in node.walk():
                if th.tag == "th" and th.attrs.get("aria-sort"):
                    print("sorted by %s %s" % (th.attrs.get("data-key"), th.attrs["aria-sort"]))
            for tr in node.walk():
                if tr.tag == "tr" and "finding" in tr.classes():
                    cells = [c for c in tr.children if not isinstance(c, str) and c.tag == "td"]
                    links = [a for a in cells[0].walk() if a.tag == "a"]
                    print("row #%s %s:%s %s -> %s"
                          % (cells[0].text().strip(), cells[1].text().strip(),
                             cells[2].text().strip(), cells[3].text().strip(),
                             links[0].attrs.get("href") if links else "none"))
        elif node.tag == "table" and node.attrs.get("id") == "by-check":
            for tr in node.walk():
                if tr.tag == "tr" and tr.attrs.get("data-check"):
                    cells = [c for c in tr.children if not isinstance(c, str) and c.tag == "td"]
                    links = [a for a in cells[0].walk() if a.tag == "a"]
                    print("check %s %s -> %s" % (cells[0].text().strip(), cells[1].text().strip(),
                                                 links[0].attrs.get("href") if links else "none"))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--resources":
        sys.exit(resources(sys.argv[2:]))
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
